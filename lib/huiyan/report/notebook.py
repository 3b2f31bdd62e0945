"""The executed notebook as the report's last appendix: markdown and outputs, code hidden.

A small renderer of our own rather than nbconvert: the report needs no code, no
syntax highlighting and no 300 KB stylesheet, and this takes milliseconds instead
of seconds. Every text it copies is masked (:func:`huiyan.privacy.mask_html`): the
notebook's outputs (a preview of clues, a ring's legend) hold resident IDs in full.
Pictures (PNG, SVG) are kept inline as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from huiyan.privacy import mask, mask_html

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def body(nb: Mapping[str, Any]) -> str:
    """The notebook's markdown and outputs as HTML, code hidden and personal data masked."""
    import mistune

    to_html = mistune.create_markdown(plugins=["table"])
    parts = ['<section class="hy-notebook">']
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            parts.append(mask_html(str(to_html(_text(cell.get("source", ""))))))
            continue
        for out in cell.get("outputs", []):
            parts.append(_output(out))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _output(out: Mapping[str, Any]) -> str:
    kind = out.get("output_type")
    if kind == "stream":
        return f"<pre>{html.escape(mask(_text(out.get('text', ''))))}</pre>"
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(out.get("traceback", [])))
        return f"<pre class='hy-error'>{html.escape(mask(trace))}</pre>"
    data = out.get("data", {})
    if "image/png" in data:
        png = _text(data["image/png"]).strip()
        return f'<img alt="chart" src="data:image/png;base64,{png}">'
    if "image/svg+xml" in data:
        return mask_html(_text(data["image/svg+xml"]))
    if "text/html" in data:
        return mask_html(_text(data["text/html"]))
    if "text/plain" in data:
        return f"<pre>{html.escape(mask(_text(data['text/plain'])))}</pre>"
    return ""
