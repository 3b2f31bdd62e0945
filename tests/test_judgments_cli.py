"""``huiyan judgments parse FILE...``: one JSON object per document, keys in the contract's order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huiyan.cli import main
from huiyan.judgments import FIELDS

TEXT = (
    "浙江省绍兴市越城区人民法院\n民事判决书\n（2021）浙0602民初1号\n原告：张三，男。\n被告：李四，男。\n"
    "原告张三与被告李四机动车交通事故责任纠纷一案，本院审理终结。\n"
)


def test_one_json_object_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.txt"
    a.write_text(TEXT, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_bytes(TEXT.replace("张三", "王五").encode("gbk"))
    assert main(["judgments", "parse", str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert list(first) == list(FIELDS)
    assert first["plaintiffs"][0]["name"] == "张三" and second["plaintiffs"][0]["name"] == "王五"
    assert "张三" in lines[0]  # ensure_ascii=False


@pytest.mark.parametrize(
    "content", [None, b"", b"\xff\xfe\x00\x81\x00"], ids=["missing", "empty", "binary"]
)
def test_bad_file_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None
) -> None:
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    assert main(["judgments", "parse", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "bad.txt" in err and "裁判文书" in err and "judgment file" in err
