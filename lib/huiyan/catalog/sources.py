"""Where models come from: the sources of model cards, and the catalog gathered from them."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from huiyan.catalog import records
from huiyan.catalog.cards import NOT_MODELS, ModelCard, read_card
from huiyan.errors import ModelError, did_you_mean
from huiyan.workspace import REPO_ROOT, Workspace

log = logging.getLogger(__name__)


REPOSITORY = "repository"
"""The source of the models shipped in the repository (the province's promoted, vetted models)."""
WORKSPACE = "workspace"
"""The source of a workspace's own models (``<home>/notebooks/``, where ``huiyan new`` writes)."""
IMPORTED = "imported"
"""The source of models imported from signed bundles (``<home>/models/<name>@<version>/``)."""
SOURCE_ZH = {REPOSITORY: "仓库", WORKSPACE: "本工作区", IMPORTED: "导入", "notebooks": "模型目录"}
PREFERENCE = (WORKSPACE, IMPORTED)
"""When two cards share a name and version, the workspace's own comes first, then an import."""


class Source(Protocol):
    """Where model cards come from (the repository, the workspace, imported bundles, ...)."""

    @property
    def name(self) -> str: ...

    def cards(self) -> list[ModelCard]: ...


@dataclass(frozen=True)
class NotebookSource:
    """Model notebooks in one or more folders (not ``explore``, not ``scratch/``)."""

    folders: tuple[Path, ...]
    name: str = "notebooks"

    def cards(self) -> list[ModelCard]:
        found = []
        for folder in self.folders:
            for path in sorted(folder.glob("*.ipynb")):
                if path.stem in NOT_MODELS:
                    continue
                card = read_card(path, source=self.name)
                if card is not None:
                    found.append(card)
        return found


@dataclass(frozen=True)
class ImportedSource:
    """Models imported into the workspace: ``<home>/models/<name>@<version>/*.ipynb``."""

    root: Path
    name: str = IMPORTED

    def cards(self) -> list[ModelCard]:
        found: list[ModelCard] = []
        if not self.root.is_dir():
            return found
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and "@" in p.name):
            for path in sorted(folder.glob("*.ipynb")):
                card = read_card(path, source=self.name)
                if card is not None:
                    found.append(card)
        return found


SourceFactory = Callable[[Workspace], Source]
_SOURCES: list[SourceFactory] = []


def register_source(factory: SourceFactory) -> None:
    """Add a source of model cards; ``factory(ws)`` builds it for a workspace."""
    if factory not in _SOURCES:
        _SOURCES.append(factory)


def model_folders(ws: Workspace) -> tuple[Path, ...]:
    """The shared model folders: $HUIYAN_MODEL_PATH, huiyan.toml, else the repository's notebooks/."""
    env = os.environ.get("HUIYAN_MODEL_PATH")
    if env:
        return tuple(Path(p).expanduser().resolve() for p in env.split(os.pathsep) if p)
    configured = ws.settings.get("models", {}).get("path")
    if configured:
        paths = [configured] if isinstance(configured, str) else list(configured)
        return tuple((ws.home / Path(p).expanduser()).resolve() for p in paths)
    return (REPO_ROOT / "notebooks",)


def own_folder(ws: Workspace) -> Path:
    """The workspace's own model notebooks: ``<home>/notebooks/``, where ``huiyan new`` writes.

    When the workspace is the repository itself (no ``--home``, no ``$HUIYAN_HOME``) its own
    models go to ``notebooks/local/`` (ignored by git), never among the repository's models.
    """
    if ws.home.resolve() == REPO_ROOT.resolve():
        return REPO_ROOT / "notebooks" / "local"
    return ws.home / "notebooks"


def _shared(ws: Workspace) -> Source:
    folders = model_folders(ws)
    name = REPOSITORY if folders == (REPO_ROOT / "notebooks",) else "notebooks"
    return NotebookSource(folders, name=name)


def _own(ws: Workspace) -> Source:
    folder = own_folder(ws).resolve()
    if folder in {f.resolve() for f in model_folders(ws)}:
        return NotebookSource((), name=WORKSPACE)  # already read as a shared folder
    return NotebookSource((folder,), name=WORKSPACE)


register_source(_shared)
register_source(_own)
register_source(lambda ws: ImportedSource(ws.home / "models"))


# ----------------------------------------------------------------------------- the catalog


@dataclass(frozen=True)
class Catalog:
    """Every model card found, in source order: the repository's, the workspace's own, imported.

    ``get("name")`` is the newest version of that name; ``get("name@version")`` that version,
    the workspace's own copy first, then an imported one, then the repository's.
    """

    cards: tuple[ModelCard, ...]
    problems: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return list(dict.fromkeys(c.name for c in self.cards))

    def get(self, name: str) -> ModelCard:
        """The model ``name`` (or ``name@version``); a ModelError suggests the nearest name."""
        wanted, _, version = name.partition("@")
        matches = [
            c for c in self.cards if c.name == wanted and (not version or c.version == version)
        ]
        if matches:
            # the newest version of a name; of one version, the workspace's own, then an import
            return min(matches, key=lambda c: (_version_key(c.version), _rank(c.source)))
        choices = [c.ref if version else c.name for c in self.cards]
        raise ModelError(
            f'目录中没有模型 "{name}"。{did_you_mean(name, choices)}',
            f'There is no model "{name}" in the catalog.',
            "查看可用模型 See the models with: huiyan models",
        )

    def table(self) -> list[dict[str, str]]:
        """One row per model for ``huiyan models``: name, title, version, datasets, parameters, vetting."""
        rows = []
        for c in self.cards:
            params = ", ".join(f"{p.name}={p.default}" for p in c.parameters)
            rows.append(
                {
                    "模型 model": c.name,
                    "名称 title": c.title_zh,
                    "版本 version": c.version,
                    "数据集 datasets": ", ".join(c.datasets),
                    "参数 parameters": params or "—",
                    "规则 rules": str(len(c.rules)),
                    "审核 vetting": c.vetting_status,
                    "来源 source": c.origin or f"{SOURCE_ZH.get(c.source, '')} {c.source}".strip(),
                }
            )
        return rows


def catalog(ws: Workspace | None = None) -> Catalog:
    """The catalog of models for ``ws`` (default: the current workspace), from every source."""
    from huiyan.workspace import workspace

    ws = ws or workspace()
    cards: list[ModelCard] = []
    problems: list[str] = []
    for factory in _SOURCES:
        source = factory(ws)
        try:
            cards.extend(source.cards())
        except ModelError as err:
            log.warning("%s", err)
            problems.append(str(err))
    return Catalog(tuple(records.apply(ws, [_with_origin(c) for c in cards])), tuple(problems))


def _with_origin(card: ModelCard) -> ModelCard:
    label = f"{SOURCE_ZH.get(card.source, '')} {card.source}".strip()
    return dataclasses.replace(card, origin=card.origin or label)


def _version_key(version: str) -> tuple[int, ...]:
    """Newest first: 1.10.0 before 1.9.0 (a version that is not x.y.z sorts last)."""
    try:
        return tuple(-int(part) for part in version.split("."))
    except ValueError:
        return (1,)


def _rank(source: str) -> int:
    return PREFERENCE.index(source) if source in PREFERENCE else len(PREFERENCE)


def get(name: str, ws: Workspace | None = None) -> ModelCard:
    """The card of model ``name`` (``name@version`` for one version)."""
    return catalog(ws).get(name)
