"""The dataset contracts: what each source dataset holds, read from ``datasets/datasets.yaml``.

The file is the project's own copy of the shared data contract (a test keeps
the two identical). Everything that touches a dataset's shape (ingest, the
quality suites, the synthetic province, the models' column checks) reads it
from here.

Example:
    >>> from huiyan import contracts
    >>> contracts.dataset("vehicles").key
    ('plate_no',)
    >>> contracts.dataset("vehicles").column("owner_name").zh
    '机动车所有人'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from huiyan.errors import ContractError, did_you_mean
from huiyan.repository import REPO_ROOT

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: ~10x faster

CONTRACT_PATH = REPO_ROOT / "datasets" / "datasets.yaml"

ColumnType = Literal["string", "text", "date", "month", "money", "number", "int", "bool"]
Format = Literal["resident_id", "credit_code", "region", "case_no", "plate"]


@dataclass(frozen=True)
class Column:
    """One column of a dataset contract."""

    name: str
    type: ColumnType
    required: bool
    zh: str
    format: Format | None = None
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``zh (name)``, for messages and Excel headers."""
        return f"{self.zh}（{self.name}）"

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header that maps onto this column: name, Chinese label, aliases."""
        return (self.name, self.zh, *self.aliases)


@dataclass(frozen=True)
class Dataset:
    """One source dataset: its key and its columns, in contract order."""

    name: str
    zh: str
    source: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(repr=False)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        """The column called ``name``; a ContractError suggests the nearest name."""
        for col in self.columns:
            if col.name == name:
                return col
        raise ContractError(
            f'数据集 "{self.name}" 没有 "{name}" 列。{did_you_mean(name, self.column_names)}',
            f'Dataset "{self.name}" has no column "{name}".',
            f"可用列 Columns: {', '.join(self.column_names)}",
        )


def _column(name: str, spec: dict) -> Column:
    return Column(
        name=name,
        type=spec["type"],
        required=bool(spec.get("required", False)),
        zh=spec.get("zh", name),
        format=spec.get("format"),
        aliases=tuple(spec.get("aliases", ())),
        allowed=tuple(spec.get("allowed", ())),
    )


@functools.cache
def _load(path: Path) -> dict[str, Dataset]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML)
    out: dict[str, Dataset] = {}
    for name, spec in raw["datasets"].items():
        out[name] = Dataset(
            name=name,
            zh=spec.get("zh", name),
            source=spec.get("source", ""),
            key=tuple(spec["key"]),
            columns=tuple(_column(c, s) for c, s in spec["columns"].items()),
        )
    return out


def datasets() -> dict[str, Dataset]:
    """Every dataset in the contract, by name, in contract order."""
    return _load(CONTRACT_PATH)


def names() -> tuple[str, ...]:
    """The dataset names, in contract order."""
    return tuple(datasets())


def dataset(name: str) -> Dataset:
    """The contract of one dataset; a ContractError suggests the nearest name."""
    found = datasets().get(name)
    if found is None:
        raise ContractError(
            f'没有名为 "{name}" 的数据集。{did_you_mean(name, names())}',
            f'There is no dataset called "{name}".',
            f"可用数据集 Datasets: {', '.join(names())}",
        )
    return found
