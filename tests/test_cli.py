"""The command line: help on every command, huiyan models / runs / new / lab."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA
from huiyan.cli import build_parser, main
from huiyan.cli.models import _width, format_table
from huiyan.workspace import REPO_ROOT


def huiyan_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *argv])
    return code, out.getvalue(), err.getvalue()


def _commands(
    parser: argparse.ArgumentParser | None = None, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    """Every command and sub-command (``clues set``), by its full name."""
    parser = parser or build_parser()
    out: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                out[f"{prefix}{name}"] = child
                out.update(_commands(child, f"{prefix}{name} "))
    return out


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help_ending_with_an_example(name: str) -> None:
    help_text = _commands()[name].format_help().rstrip()
    last = help_text.splitlines()[-1].strip()
    assert "示例 Example:" in help_text
    assert last.startswith("huiyan "), f"the help of {name} does not end with an example"


def test_huiyan_help_works_from_the_installed_command() -> None:
    exe = Path(sys.executable).with_name("huiyan")
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for command in ("models", "run", "runs", "new", "lab"):
        assert command in done.stdout


def test_models_lists_the_cards(sample_model: Path, tmp_path: Path) -> None:
    code, out, _ = huiyan_cli("--home", str(tmp_path), "models")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("sample_auction"))
    for text in ("示例：司法拍卖", "1.0.0", "judicial_auctions", "ratio=0.7", "未审核"):
        assert text in line


def test_models_json_gives_the_whole_card(sample_model: Path, tmp_path: Path) -> None:
    code, out, _ = huiyan_cli("--home", str(tmp_path), "models", "--json")
    assert code == 0
    card = json.loads(out.splitlines()[0])
    assert card["rules"] == ["SMP-START-LOW", "SMP-DEPOSIT-HIGH"]


def test_run_an_unknown_model_suggests_the_nearest(sample_model: Path, auction_home: Path) -> None:
    code, _, err = huiyan_cli("--home", str(auction_home), "run", "sample_auctoin")
    assert code == 2 and '"sample_auction"' in err
    assert not (auction_home / "runs").exists()


def test_parameter_without_equals_sign_is_refused(sample_model: Path, auction_home: Path) -> None:
    code, _, err = huiyan_cli("--home", str(auction_home), "run", "sample_auction", "-p", "ratio")
    assert code == 2 and "NAME=VALUE" in err
    # the example is the model's own parameter, never another model's
    assert "-p ratio=0.7" in err and "since" in err and "min_suits" not in err
    assert not (auction_home / "runs").exists()


def test_parameter_without_a_value_is_refused(sample_model: Path, auction_home: Path) -> None:
    code, _, err = huiyan_cli("--home", str(auction_home), "run", "sample_auction", "-p", "since=")
    assert code == 2 and "since=" in err and "须给出值" in err and "with a value" in err
    assert "-p since=" in err and "min_suits" not in err  # its default as the example
    assert not (auction_home / "runs").exists()


def test_run_a_county_that_is_not_in_the_data(sample_model: Path, auction_home: Path) -> None:
    code, _, err = huiyan_cli(
        "--home", str(auction_home), "run", "sample_auction", "--region", "330603"
    )
    assert code == 2 and "330603" in err and "330602" in err


def test_runs_on_an_empty_workspace(tmp_path: Path) -> None:
    code, out, _ = huiyan_cli("--home", str(tmp_path), "runs")
    assert code == 0 and "No runs yet" in out


def test_new_creates_a_paired_notebook_with_an_empty_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notebooks"
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(folder))
    code, out, err = huiyan_cli("--home", str(tmp_path), "new", "fishing_ban")
    assert code == 0, err
    nb = json.loads((folder / "fishing_ban.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["huiyan"]["name"] == "fishing_ban"
    assert nb["metadata"]["huiyan"]["vetting"] == {"status": "未审核"}
    text = (folder / "fishing_ban.py").read_text(encoding="utf-8")
    for stage in (
        "1 载入 Load",
        "2 校验 Validate",
        "3 规则 Rules",
        "4 线索 Clues",
        "5 报告 Report",
    ):
        assert stage in text
    assert nb["cells"][1]["metadata"]["tags"] == ["parameters"]
    code, out, _ = huiyan_cli("--home", str(tmp_path), "models")
    assert "fishing_ban" in out


def test_new_refuses_an_existing_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(tmp_path / "shared"))
    assert huiyan_cli("--home", str(tmp_path), "new", "fishing_ban")[0] == 0
    script = tmp_path / "notebooks" / "fishing_ban.py"
    before = script.read_text(encoding="utf-8")
    code, _, err = huiyan_cli("--home", str(tmp_path), "new", "fishing_ban")
    assert code == 2 and "已存在" in err and "already exists" in err
    assert script.read_text(encoding="utf-8") == before
    code, _, err = huiyan_cli("--home", str(tmp_path), "new", "sample_auction")
    assert code == 0  # not in this catalog: the shared folder is empty here
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(DATA))
    code, _, err = huiyan_cli("--home", str(tmp_path / "other"), "new", "sample_auction")
    assert code == 2 and "已存在" in err  # a shared model's name is taken too


def test_new_writes_into_the_workspace_never_into_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    shipped = sorted(p.name for p in (REPO_ROOT / "notebooks").iterdir())
    code, _, err = huiyan_cli("--home", str(tmp_path / "county"), "new", "fishing_ban")
    assert code == 0, err
    assert (tmp_path / "county" / "notebooks" / "fishing_ban.ipynb").exists()
    assert sorted(p.name for p in (REPO_ROOT / "notebooks").iterdir()) == shipped
    text = (tmp_path / "county" / "notebooks" / "fishing_ban.py").read_text(encoding="utf-8")
    assert "@hy.rules.rule(" in text and "lib/huiyan/models" not in text  # rules go in cells


def test_new_from_a_vetted_model_is_a_new_unvetted_model_with_its_rules_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    home = str(tmp_path / "county")
    code, out, err = huiyan_cli("--home", home, "new", "my_auction", "--from", "judicial_auction")
    assert code == 0, err
    assert "judicial_auction@1.0.0" in out
    nb = json.loads((tmp_path / "county" / "notebooks" / "my_auction.ipynb").read_text("utf-8"))
    card = nb["metadata"]["huiyan"]
    assert (card["name"], card["version"], card["derived_from"]) == (
        "my_auction", "0.1.0", "judicial_auction@1.0.0",
    )  # fmt: skip
    assert card["rules"]["AUC-START-LOW"]["basis"].startswith("《最高人民法院")  # from the library
    code_cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any('model="my_auction"' in c for c in code_cells)
    assert not any("m.MODEL" in c for c in code_cells)  # its clues are its own
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    code, out, _ = huiyan_cli("--home", home, "models", "my_auction")
    assert "改编自 derived from: judicial_auction@1.0.0" in out and "未审核" in out
    assert "AUC-START-LOW" in out and "第十条" in out


def test_models_shows_one_cards_rules_with_their_legal_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    code, out, _ = huiyan_cli("--home", str(tmp_path), "models", "judicial_auction")
    assert code == 0
    assert "来源 source:        仓库 repository" in out
    assert "AUC-DEPOSIT-RANGE" in out and "第十七条" in out
    assert "库 library huiyan.models.judicial_auction" in out


@pytest.mark.parametrize("name", ["FishingBan", "fishing-ban", "1st_model", "fishing__ban"])
def test_new_refuses_a_name_that_is_not_snake_case(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(tmp_path))
    code, _, err = huiyan_cli("--home", str(tmp_path), "new", name)
    assert code == 2 and "snake_case" in err
    assert not list(tmp_path.glob("*.py"))


@pytest.mark.slow
def test_a_new_model_runs_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, auction_home: Path
) -> None:
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(tmp_path))
    assert huiyan_cli("--home", str(auction_home), "new", "fishing_ban")[0] == 0
    code, out, err = huiyan_cli("--home", str(auction_home), "run", "fishing_ban")
    assert code == 0, err
    assert "0 条线索 clues" in out
    assert (Path(out.strip().splitlines()[-1]) / "clues.parquet").exists()


def test_table_aligns_chinese_text() -> None:
    text = format_table([{"模型": "甲", "n": 1}, {"模型": "abcd", "n": 22}])
    lines = text.splitlines()
    columns = [
        _width(line[: line.index(mark)])
        for line, mark in zip(lines[::2] + lines[3:], "n12", strict=True)
    ]
    assert columns[0] == columns[1] == columns[2]
