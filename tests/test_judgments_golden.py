"""The judgment reader against hand-written parses of the real documents of shared/realdata.

The documents are copied into tests/data/realdata/judgments (the full texts, and the
partial records the golden set uses), so a fresh clone runs these tests. Each
tests/golden/<id>.json holds the expected contract fields of one document, written
by reading the document under the clarified contract (contracts/README.md, "Parsed
judgment": appeals keep the first-instance sides, ``assigned`` is never null, masked
plates and names are kept as written, a repair shop is a business the text has repair
the vehicle). Known misses are listed in KNOWN_MISSES with the reason; a listed miss
that starts passing fails the test, so the list stays honest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huiyan.judgments import FIELDS, parse

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "tests" / "data" / "realdata" / "judgments"
GOLDEN = sorted((REPO / "tests" / "golden").glob("*.json"))

KNOWN_MISSES: dict[tuple[str, str], str] = {}
"""(document id, field) -> why the reader gets it wrong."""


def _text(source: str) -> str:
    if "#" not in source:
        return (REAL / source).read_text(encoding="utf-8")
    file, doc_id = source.split("#")
    for line in (REAL / file).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == doc_id:
            return str(row["text"])
    raise LookupError(f"{doc_id} not in {file}")


def test_golden_set_covers_all_full_documents_and_twenty_partial() -> None:
    ids = {p.stem for p in GOLDEN}
    full = {p.stem for p in (REAL / "full").glob("*.txt")}
    assert full <= ids
    assert len(ids - full) >= 20


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    golden = json.loads(path.read_text(encoding="utf-8"))
    expected = golden["expected"]
    assert list(expected) == list(FIELDS)
    got = parse(_text(golden["source"])).to_dict()
    assert list(got) == list(FIELDS)
    wrong = []
    for field in FIELDS:
        miss = (path.stem, field)
        if miss in KNOWN_MISSES:
            assert got[field] != expected[field], f"{miss} is listed as a known miss but now passes"
            continue
        if got[field] != expected[field]:
            wrong.append(f"{field}: got {got[field]!r}, expected {expected[field]!r}")
    assert not wrong, "\n".join(wrong)
