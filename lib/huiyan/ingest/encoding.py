"""Text encodings of CSV exports, and the lines that cannot be read as text.

Auto-detection reads UTF-8 (with or without BOM) and GBK, read as GB18030 so
rare name characters survive. One pass decodes the file in 16 MiB blocks of
whole lines; only a block that fails is split into lines, so a damaged line
(bytes that do not decode, a multibyte character cut in half, a NUL byte)
spoils only itself. With ``auto`` the codec under which fewer lines are
damaged wins; a file with more damaged lines than readable ones is in another
encoding and is refused, naming it.

:func:`write_copy` writes the normalised UTF-8 copy DuckDB reads when the file
is not clean UTF-8: LF line ends, a space in each empty line (so DuckDB sets it
aside and numbers it, rather than skipping it unnumbered), and a placeholder
for each damaged line.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from huiyan.errors import IngestError

log = logging.getLogger(__name__)

Encoding = Literal["auto", "utf-8", "gbk"]
ENCODINGS: tuple[str, ...] = ("auto", "utf-8", "gbk")

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_CHUNK = 16 * 1024 * 1024
MARK = "\x1fhuiyan-damaged-line-"
"""Placeholder for the k-th damaged line in the copy; DuckDB sets it aside as too short."""


@dataclass(frozen=True)
class Damage:
    """One line that cannot be read as text: where it is and its raw bytes."""

    line: int
    raw: bytes

    @property
    def reason(self) -> str:
        return "nul_byte" if b"\x00" in self.raw else "bad_bytes"


@dataclass(frozen=True)
class TextScan:
    """What one pass over a CSV file's bytes found, for one codec."""

    codec: str
    lines: int
    damaged: tuple[Damage, ...]
    last_inner_blank: int
    """The last empty line that has data after it (0: none)."""
    trailing_empty: int
    """Empty lines after the last line with text."""


def _blocks(path: Path) -> Iterator[bytes]:
    """The file in blocks of whole lines (the last one may lack its line break)."""
    pending = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            if cut:
                yield data[:cut]
            pending = data[cut:]
    if pending:
        yield pending


def _lines_of(block: bytes) -> list[bytes]:
    """The lines of a block, without their line breaks."""
    parts = block.split(b"\n")
    return parts[:-1] if block.endswith(b"\n") else parts


def _decodes(block: bytes, codec: str) -> bool:
    try:
        block.decode(codec)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in block


def scan(path: Path, codec: str) -> TextScan:
    """Decode the whole file with ``codec``; only blocks that fail are split into lines."""
    damaged: list[Damage] = []
    lines = last_content = last_inner_blank = last_blank = 0
    trailing_empty = 0
    for block in _blocks(path):
        if not _decodes(block, codec):
            damaged += (
                Damage(lines + k + 1, raw.rstrip(b"\r"))
                for k, raw in enumerate(_lines_of(block))
                if not _decodes(raw, codec)
            )
        # The last empty line in the block, and the last one before the block's last text.
        framed = b"\n" + block
        end = len(framed.rstrip(b" \t\r\n"))
        if end > 1:
            last_content = lines + framed.count(b"\n", 0, end)
            before = max(framed.rfind(b"\n\n", 0, end), framed.rfind(b"\n\r\n", 0, end))
            if before >= 0:
                last_inner_blank = lines + framed.count(b"\n", 0, before + 1)
            elif last_blank:
                last_inner_blank = last_blank
        after = max(framed.rfind(b"\n\n"), framed.rfind(b"\n\r\n"))
        if after >= 0:
            last_blank = lines + framed.count(b"\n", 0, after + 1)
        lines += block.count(b"\n") + (not block.endswith(b"\n"))
        if end > 1:
            tail = framed[end:].split(b"\n")[1:-1]
            trailing_empty = sum(1 for t in tail if not t.strip(b"\r"))
    if last_inner_blank > last_content:
        last_inner_blank = 0
    return TextScan(codec, lines, tuple(damaged), last_inner_blank, trailing_empty)


def _is_utf16(sample: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is a NUL."""
    return sample.count(b"\x00") > len(sample) // 10


def _guess_encoding(sample: bytes) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if _is_utf16(sample):
        return "UTF-16"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample.replace(b"\x00", b"")).best()
    except ImportError:  # optional: only used to name the encoding in the message
        best = None
    return best.encoding.upper() if best is not None else "未知 unknown"


def wrong_encoding(path: Path, requested: str) -> IngestError:
    with path.open("rb") as fh:
        guess = _guess_encoding(fh.read(64 * 1024))
    wanted = {"utf-8": "UTF-8", "gbk": "GBK"}.get(requested)
    if wanted is not None:
        return IngestError(
            f"文件不是 {wanted} 编码（看起来是 {guess}）。",
            f"the file is not {wanted} (it looks like {guess}).",
            "可改用 Try: --encoding auto",
        )
    return IngestError(
        f"文件编码是 {guess}，既不是 UTF-8 也不是 GBK。",
        f"the file is encoded as {guess}, neither UTF-8 nor GBK.",
        "请另存为 UTF-8 或 GBK 编码的 CSV。 Save it as a UTF-8 or GBK CSV.",
    )


def detect_encoding(path: Path, requested: str) -> TextScan:
    """The codec to read a CSV with (``utf-8`` or ``gb18030``) and its damaged lines.

    With ``auto``, the codec under which fewer lines are damaged wins, UTF-8 on a tie.
    A file with more damaged lines than readable ones is refused as being in another
    encoding; so is a UTF-16 or UTF-32 file.
    """
    if requested not in ENCODINGS:
        raise IngestError(
            f'不支持编码 "{requested}"，只能是 auto、utf-8 或 gbk。',
            f'Encoding "{requested}" is not supported; use auto, utf-8 or gbk.',
        )
    with path.open("rb") as fh:
        sample = fh.read(64 * 1024)
    if any(sample.startswith(bom) for bom, _ in _BOMS) or _is_utf16(sample):
        name = _guess_encoding(sample)
        raise IngestError(
            f"文件编码是 {name}，只支持 UTF-8 和 GBK。",
            f"the file is encoded as {name}; only UTF-8 and GBK are supported.",
            "请另存为 UTF-8 或 GBK 编码的 CSV。 Save it as a UTF-8 or GBK CSV.",
        )
    codecs_to_try = {"auto": ("utf-8", "gb18030"), "utf-8": ("utf-8",), "gbk": ("gb18030",)}
    scans: list[TextScan] = []
    for codec in codecs_to_try[requested]:
        found = scan(path, codec)
        if not found.damaged:
            return found
        scans.append(found)
    best = min(scans, key=lambda s: len(s.damaged))
    if 2 * len(best.damaged) > best.lines:
        raise wrong_encoding(path, requested)
    log.info("%s: %d damaged lines read as %s", path, len(best.damaged), best.codec)
    return best


def _clean_text(text: str, *, at_start: bool) -> str:
    """One block as it goes into the copy: LF line ends, empty lines holding a space."""
    text = text.replace("\r\n", "\n")
    if "\n\n" in text:
        # Twice: a run of empty lines is only half filled by one pass.
        text = text.replace("\n\n", "\n \n").replace("\n\n", "\n \n")
    if text.startswith("\n") and not at_start:
        text = " " + text
    return text


def write_copy(path: Path, found: TextScan, out: Path) -> Path:
    """A normalised UTF-8 copy of the file; damaged lines become placeholders."""
    damaged = {d.line: k for k, d in enumerate(found.damaged)}
    lines = 0
    with out.open("w", encoding="utf-8", newline="") as dst:
        for block in _blocks(path):
            parts = _lines_of(block)
            if lines == 0 and block.startswith(codecs.BOM_UTF8):
                block, parts[0] = block[3:], parts[0][3:]
            if not any(lines < n <= lines + len(parts) for n in damaged):
                text = block.decode(found.codec)
            else:
                text = "\n".join(
                    f"{MARK}{damaged[lines + k + 1]}"
                    if lines + k + 1 in damaged
                    else raw.decode(found.codec)
                    for k, raw in enumerate(parts)
                ) + ("\n" if block.endswith(b"\n") else "")
            dst.write(_clean_text(text, at_start=lines == 0))
            lines += len(parts)
    return out


def shown(raw: bytes, codec: str) -> str:
    """A damaged line for the quarantine file: readable text, other bytes as \\xNN.

    >>> shown("王伟".encode("gb18030")[:3] + b"\\x00", "gb18030")
    '王\\\\xce\\\\x00'
    """
    return raw.decode(codec, "backslashreplace").replace("\x00", "\\x00")
