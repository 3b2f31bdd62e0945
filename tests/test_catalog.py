"""The model catalog: cards from notebook metadata, sources, and parameter checking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import huiyan
import pytest
from huiyan import catalog
from huiyan.errors import ModelError, ParameterError
from huiyan.workspace import REPO_ROOT

DATA = Path(__file__).parent / "data"


def _notebook(path: Path, card: dict | None) -> Path:
    meta = {"huiyan": card} if card is not None else {}
    nb = {"cells": [], "metadata": meta, "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def card() -> catalog.ModelCard:
    found = catalog.read_card(DATA / "sample_auction.ipynb")
    assert found is not None
    return found


def test_card_is_read_from_notebook_metadata(card: catalog.ModelCard) -> None:
    assert card.name == "sample_auction"
    assert card.version == "1.0.0"
    assert card.datasets == ("judicial_auctions",)
    assert card.rules == ("SMP-START-LOW", "SMP-DEPOSIT-HIGH")
    assert card.vetting_status == "未审核"
    assert card.parameter("ratio") == catalog.Parameter(
        "ratio", "float", 0.7, "起拍价与评估价之比的下限"
    )
    assert card.problems() == []


def test_card_defaults_match_the_parameters_cell(card: catalog.ModelCard) -> None:
    assert card.notebook is not None
    cell = catalog.notebook_parameters(card.notebook)
    assert cell.pop("region") == ""
    assert cell == card.defaults


def test_catalog_lists_model_notebooks_but_not_guides_or_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notebooks"
    _notebook(folder / "alpha.ipynb", {"name": "alpha", "version": "1.0.0"})
    _notebook(folder / "explore.ipynb", {"name": "explore", "version": "1.0.0"})
    _notebook(folder / "scratch" / "beta.ipynb", {"name": "beta", "version": "1.0.0"})
    _notebook(folder / "plain.ipynb", None)
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(folder))
    found = catalog.catalog(huiyan.workspace(tmp_path / "home"))
    assert found.names() == ["alpha"]


def test_imported_models_join_the_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(DATA))
    home = tmp_path / "home"
    _notebook(
        home / "models" / "gamma@2.0.0" / "gamma.ipynb", {"name": "gamma", "version": "2.0.0"}
    )
    found = catalog.catalog(huiyan.workspace(home))
    assert found.names() == ["sample_auction", "gamma"]
    assert found.get("gamma").source == "imported"
    assert found.get("gamma@2.0.0").version == "2.0.0"


def test_a_second_source_plugs_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = catalog.NotebookSource((tmp_path / "elsewhere",), name="extra")
    _notebook(tmp_path / "elsewhere" / "delta.ipynb", {"name": "delta", "version": "1.0.0"})
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(DATA))
    monkeypatch.setattr(catalog.sources, "_SOURCES", [*catalog.sources._SOURCES])
    catalog.register_source(lambda ws: extra)
    found = catalog.catalog(huiyan.workspace(tmp_path / "home"))
    assert found.get("delta").source == "extra"


def test_unknown_model_suggests_the_nearest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(DATA))
    with pytest.raises(ModelError, match="sample_auction"):
        catalog.get("sample_auctoin", huiyan.workspace(tmp_path))


def test_parameters_are_typed_from_command_line_strings(card: catalog.ModelCard) -> None:
    values = catalog.check_parameters(
        card, {"ratio": "0.5", "min_bidders": "3", "fail_on_purpose": "是", "since": "2020-01-31"}
    )
    assert values == {
        "ratio": 0.5,
        "max_deposit": 0.2,
        "since": "2020-01-31",
        "min_bidders": 3,
        "fail_on_purpose": True,
    }


def test_unknown_parameter_names_the_nearest_valid_one(card: catalog.ModelCard) -> None:
    with pytest.raises(ParameterError, match=r'ratoi.*"ratio"'):
        catalog.check_parameters(card, {"ratoi": "0.5"})


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("min_bidders", "2.5", "int"),
        ("ratio", "七成", "float"),
        ("since", "2020-13-01", "date"),
        ("fail_on_purpose", "maybe", "bool"),
    ],
    ids=["int", "float", "date", "bool"],
)
def test_wrong_type_names_parameter_value_and_type(
    card: catalog.ModelCard, name: str, value: str, expected: str
) -> None:
    with pytest.raises(ParameterError) as err:
        catalog.check_parameters(card, {name: value})
    assert name in err.value.en and value in err.value.en and expected in err.value.en
    assert value in err.value.zh


def test_all_parameter_problems_are_reported_together(card: catalog.ModelCard) -> None:
    with pytest.raises(ParameterError) as err:
        catalog.check_parameters(card, {"ratoi": "1", "min_bidders": "x"})
    assert "ratoi" in str(err.value) and "min_bidders" in str(err.value)


def test_incomplete_card_lists_its_problems(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "x.ipynb", {"name": "x", "version": "1.0", "parameters": {}})
    card = catalog.read_card(path)
    assert card is not None
    problems = "\n".join(card.problems())
    assert "title_zh" in problems and "rules" in problems and "1.0.0" in problems
    assert "parameters" not in problems  # a model may have no thresholds


def test_malformed_parameter_type_is_a_model_error(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "x.ipynb", {"name": "x", "parameters": {"n": {"type": "integer"}}})
    with pytest.raises(ModelError, match=r"parameters\.n\.type"):
        catalog.read_card(path)


def test_notebook_copy_keeps_its_card(tmp_path: Path) -> None:
    copy = tmp_path / "copy.ipynb"
    shutil.copy(DATA / "sample_auction.ipynb", copy)
    found = catalog.read_card(copy)
    assert found is not None and found.notebook == copy.resolve()


# ----------------------------------------------------------------------------- where models come from


def test_the_catalog_shows_where_each_model_comes_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUIYAN_MODEL_PATH", raising=False)
    home = tmp_path / "home"
    _notebook(home / "notebooks" / "alpha.ipynb", {"name": "alpha", "version": "0.1.0"})
    _notebook(
        home / "models" / "gamma@2.0.0" / "gamma.ipynb", {"name": "gamma", "version": "2.0.0"}
    )
    found = catalog.catalog(huiyan.workspace(home))
    sources = {c.name: c.source for c in found.cards}
    assert sources["judicial_auction"] == catalog.REPOSITORY  # the repository's vetted models
    assert (sources["alpha"], sources["gamma"]) == (catalog.WORKSPACE, catalog.IMPORTED)
    rows = {r["模型 model"]: r["来源 source"] for r in found.table()}
    assert rows["judicial_auction"] == "仓库 repository"
    assert rows["alpha"] == "本工作区 workspace" and rows["gamma"] == "导入 imported"
    assert found.names()[-2:] == ["alpha", "gamma"]  # the repository's first


def test_the_workspace_of_the_repository_keeps_its_own_models_apart() -> None:
    ws = huiyan.workspace(REPO_ROOT)  # no --home: huiyan new must not write among shipped models
    assert catalog.own_folder(ws) == REPO_ROOT / "notebooks" / "local"
    assert catalog.own_folder(huiyan.workspace("/srv/county")) == Path("/srv/county/notebooks")


def test_a_name_means_its_newest_version_and_the_workspace_copy_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUIYAN_MODEL_PATH", str(tmp_path / "shared"))
    _notebook(tmp_path / "shared" / "delta.ipynb", {"name": "delta", "version": "1.9.0"})
    home = tmp_path / "home"
    for version in ("1.9.0", "1.10.0"):
        card = {"name": "delta", "version": version}
        _notebook(home / "models" / f"delta@{version}" / "delta.ipynb", card)
    found = catalog.catalog(huiyan.workspace(home))
    assert found.get("delta").version == "1.10.0"
    assert found.get("delta@1.9.0").source == catalog.IMPORTED  # before the shared copy


def test_rules_are_documented_on_the_card_or_listed_by_code() -> None:
    card = catalog.ModelCard.from_metadata(
        {
            "name": "fish",
            "rules": {"FISH-A": {"zh": "甲", "basis": "刑法第三百四十条"}, "FISH-B": {}},
        }
    )
    assert card.rules == ("FISH-A", "FISH-B")
    assert card.rule_doc("FISH-A").is_documented and not card.rule_doc("FISH-B").is_documented
    listed = catalog.ModelCard.from_metadata({"name": "old", "rules": ["AUC-START-LOW"]})
    assert listed.rules == ("AUC-START-LOW",) and not listed.rule_docs


def test_a_rule_documented_as_text_is_a_model_error() -> None:
    with pytest.raises(ModelError, match=r"rules\.FISH-A"):
        catalog.ModelCard.from_metadata({"name": "fish", "rules": {"FISH-A": "甲"}})
