"""report.html in a real browser: headless Chromium opens a tiny run's report from disk.

One Chromium session (Debian's ``chromium`` driven by Playwright, with a CJK font such as
``fonts-wqy-zenhei``) checks what a reviewer sees: the clue table is there and filters by
rule, county and words, sorts, and copies a clue id; every character renders (no
missing-glyph boxes); the charts are drawn; and the page asks the network for nothing.

``.ci/run`` installs chromium and the font, so CI always runs this test; elsewhere it is
skipped with the reason when they are missing (``HUIYAN_REQUIRE_BROWSER=1`` makes that a
failure instead). ``HUIYAN_SCREENSHOT=PATH`` also saves a screenshot of the report.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Draws each character on a canvas in the report's own fonts and compares it with the
# drawing of a code point no font has (U+10FFFD): the same pixels, or none at all for a
# visible character, mean the browser had no glyph and showed a box (or nothing).
MISSING_GLYPHS = """
(chars) => {
  const font = getComputedStyle(document.querySelector('.hy-header')).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  function draw(c) {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = '32px ' + font;
    ctx.fillText(c, 4, 38);
    const alpha = ctx.getImageData(0, 0, 48, 48).data;
    let out = '';
    for (let i = 3; i < alpha.length; i += 4) out += alpha[i] > 64 ? '1' : '0';
    return out;
  }
  const notdef = draw('\\u{10FFFD}');
  const blank = draw(' ');
  return chars.filter((c) => { const d = draw(c); return d === notdef || d === blank; });
}
"""


def _browser() -> tuple[str | None, str]:
    """(chromium path, "") when a browser test can run here, else (None, why not)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None, "Playwright is not installed: pip install -e '.[dev]'"
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        return None, "no Chromium here: apt-get install chromium fonts-wqy-zenhei"
    fonts = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    if not fonts.stdout.strip():
        return None, "no Chinese (CJK) font here: apt-get install fonts-wqy-zenhei"
    return exe, ""


@pytest.fixture(scope="module")
def chromium() -> str:
    exe, why = _browser()
    if exe is None:
        if os.environ.get("HUIYAN_REQUIRE_BROWSER"):
            pytest.fail(f"the browser test must run here: {why}")
        pytest.skip(why)
    return exe


def _rows(page: Any, column: int) -> list[str]:
    return page.eval_on_selector_all(
        f"#hy-table tbody tr td:nth-child({column})", "cells => cells.map(c => c.innerText)"
    )


def test_report_works_in_a_browser(
    chromium: str, tiny_county_runs: dict[str, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    run_dir = tiny_county_runs["insurance_fraud"]
    clues = pq.read_table(run_dir / "clues.parquet").to_pandas()
    n = len(clues)
    requests: list[str] = []
    errors: list[str] = []

    def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    with sync_playwright() as p:
        # Playwright gives each launch a fresh, temporary profile (user data dir)
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.route("**/*", only_local)
        page.goto((run_dir / "report.html").as_uri())

        # the clue table is there: every clue counted, the strongest first
        assert page.get_attribute("#hy-clues", "data-shown") == str(n)
        assert page.locator("#hy-table tbody tr").count() == min(n, 50)
        headers = page.eval_on_selector_all("#hy-table th", "ths => ths.map(t => t.dataset.key)")
        col = {key: i + 1 for i, key in enumerate(headers)}
        assert _rows(page, col["clue_id"])[0].startswith(
            clues.sort_values("score", ascending=False).clue_id.iloc[0]
        )

        # filter by rule, then by county, then by words
        data = json.loads(page.inner_text("#hy-clue-data"))
        rule, count = Counter(clues.rule).most_common(1)[0]
        page.select_option("#hy-rule", value=str(data["rules"].index(rule)))
        assert page.get_attribute("#hy-clues", "data-shown") == str(count)
        assert set(_rows(page, col["rule"])) == {rule}
        page.select_option("#hy-rule", value="")
        county = clues.region.iloc[0]
        page.select_option("#hy-region", value=str(data["regions"].index(county)))
        assert page.get_attribute("#hy-clues", "data-shown") == str((clues.region == county).sum())
        page.select_option("#hy-region", value="")
        target = clues.clue_id.iloc[-1]
        page.fill("#hy-search", target)
        page.wait_for_function("document.getElementById('hy-clues').dataset.shown === '1'")
        assert _rows(page, col["clue_id"])[0].startswith(target)
        page.fill("#hy-search", "")
        page.wait_for_function(f"document.getElementById('hy-clues').dataset.shown === '{n}'")

        # sort by amount, largest first, shown with thousands separators
        page.click("th[data-key='amount']")
        shown = [a for a in _rows(page, col["amount"]) if a != "—"]
        values = [float(a.replace(",", "")) for a in shown]
        assert values == sorted(values, reverse=True)
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", a) for a in shown)

        # the copy button answers (the clipboard may be refused headless: then it says so)
        # (the answer comes when the clipboard's promise settles: wait for it)
        page.click("#hy-table tbody tr:first-child .hy-copy")
        answered = page.wait_for_selector("#hy-table tbody tr:first-child .hy-copy[data-copied]")
        assert answered.get_attribute("data-copied") in {"yes", "no"}

        # every character renders; the check itself sees a character no font has
        text = page.inner_text("body")
        chars = sorted({c for c in text if ord(c) > 127 and not c.isspace()})
        assert len(chars) > 100
        assert page.evaluate(MISSING_GLYPHS, chars) == []
        assert page.evaluate(MISSING_GLYPHS, ["\U0010fffd", "报"]) == ["\U0010fffd"]

        # the charts: bars per rule and county, clues by month, the ring pictures
        assert page.locator("svg.hy-bar").count() >= len(set(clues.rule)) + 1
        months = page.locator("svg.hy-months rect")
        assert months.count() >= 1 and months.first.bounding_box()["height"] > 0
        assert page.locator("img[src^='data:image/png']").count() >= 1

        shot = os.environ.get("HUIYAN_SCREENSHOT")
        page.screenshot(path=shot or str(tmp_path / "report.png"), full_page=False)
        browser.close()

    assert errors == []
    assert requests == []  # nothing is loaded from the network
