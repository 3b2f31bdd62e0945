"""The workspace tables a report reads back: the clues' source records and the planted truth.

Opening a whole workspace attaches every table's snapshot file (a few milliseconds each,
a tenth of a second for all of them), which is most of the report's cost on a small run.
The report needs two or three tables, so :class:`Records` attaches each snapshot file
read-only the first time it is asked for. It reads the versions the run's manifest names
where they still exist (what the run read), else the workspace's current ones, and holds
a lease on its files while open, like any reader (:mod:`huiyan.snapshots`).

It answers the report's two questions in plain SQL (one query each, no ibis: on a small
run the report's cost is its fixed cost): when each evidence record happened
(:meth:`Records.dates`) and which planted records lie in a county
(:meth:`Records.planted`). The same questions asked of a notebook's workspace go through
ibis (:func:`huiyan.report.timeline.clue_dates`, :func:`huiyan.evaluation.planted`), so
they also run on Spark; a test holds both to the same answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from huiyan import contracts, snapshots


class Records:
    """A read-only view of some tables of a workspace, attached on first use."""

    def __init__(self, home: Path, *, versions: Mapping[str, str] | None = None) -> None:
        catalog = snapshots.current(home)
        if catalog is None:
            raise FileNotFoundError(f"no published snapshot in {home}")
        folder = snapshots.folder(home)
        self._files = {name: folder / snap.file for name, snap in catalog.tables.items()}
        for name, version in (versions or {}).items():  # the versions the run read
            path = folder / f"{version}.duckdb"
            if name in self._files and path.exists():
                self._files[name] = path
        self._lease = snapshots.Lease(home)
        self._lease.hold(p.name for p in self._files.values())  # one write, whatever is read
        self._held: list[str] = []
        self._relations: dict[str, str] = {}
        self._raw: Any = None
        self._dates: dict[str, Any] = {}  # reference -> date, once :meth:`remember` was called
        self._counties: dict[str, pd.DataFrame] = {}  # model -> its truth rows with their county

    def has_table(self, name: str) -> bool:
        return name in self._files

    def relation(self, name: str) -> str:
        """The SQL name of table ``name`` (its snapshot file is attached on first use)."""
        self._connect()
        if name not in self._held:
            self._held.append(name)
            alias = snapshots.quote(f"r_{len(self._held)}")
            self._raw.execute(f"ATTACH '{self._files[name]!s}' AS {alias} (READ_ONLY)")
            self._relations[name] = f"{alias}.main.{snapshots.quote(name)}"
        return self._relations[name]

    def _connect(self) -> None:
        if self._raw is None:
            import duckdb

            self._raw = duckdb.connect(config={"threads": 1})  # small reads: no thread pool

    def sql(
        self, query: str, params: list[Any] | dict[str, Any] | None = None, **tables: Any
    ) -> pd.DataFrame:
        """Run ``query`` (after :meth:`relation` named its tables); ``tables`` are registered."""
        for name, frame in tables.items():
            self._raw.register(name, frame)
        try:
            return self._raw.execute(query, params or []).df()
        finally:
            for name in tables:
                self._raw.unregister(name)

    def _record_key(self, name: str) -> str:
        """SQL for a row's key as its record reference writes it (``a|b``, as ibis casts)."""
        keys = [f"CAST({snapshots.quote(k)} AS VARCHAR)" for k in contracts.dataset(name).key]
        return keys[0] if len(keys) == 1 else " || '|' || ".join(keys)

    def earliest(self, refs: pd.Series, column_of: Callable[[str], str | None]) -> pd.Series:
        """The earliest event date among each row's record references, in one query.

        ``refs`` holds references (``dataset:key``) indexed by the row they belong to (an
        exploded evidence column); ``column_of(dataset)`` names its event date column, or
        None. Returns the dates indexed by row, for the rows with at least one dated record.
        """
        known = self._known_dates(refs)
        if known is not None:  # remembered for a run split by county
            return known
        wanted = pd.DataFrame({"i": refs.index.to_numpy(), "ref": refs.to_numpy(dtype=object)})
        named = (
            "SELECT i, split_part(ref, ':', 1) AS dataset, substr(ref, strpos(ref, ':') + 1) AS key "
            "FROM wanted WHERE strpos(ref, ':') > 0"
        )
        self._connect()
        names = self.sql(f"SELECT DISTINCT dataset FROM ({named})", wanted=wanted).dataset
        parts = [
            f"SELECT '{name}' AS dataset, {self._record_key(name)} AS key, "
            f"CAST(t.{snapshots.quote(column)} AS DATE) AS d FROM {self.relation(name)} t"
            for name in sorted(names)
            if self.has_table(name) and (column := column_of(name)) is not None
        ]
        if not parts:
            return pd.Series([], dtype="datetime64[us]")
        found = self.sql(
            f"SELECT w.i, min(t.d) AS d FROM ({named}) w "
            f"JOIN ({' UNION ALL '.join(parts)}) t USING (dataset, key) GROUP BY w.i",
            wanted=wanted,
        )
        return pd.Series(pd.to_datetime(found["d"]).to_numpy(), index=found["i"].to_numpy())

    def remember(
        self,
        refs: pd.Series,
        column_of: Callable[[str], str | None],
        model: str,
        columns: Mapping[str, str],
    ) -> None:
        """Answer in advance for many reports of one run split by county (``--each-county``):
        the date of every record in ``refs`` and the county of every planted record of
        ``model``, each in one query; :meth:`earliest` and :meth:`planted` then read them."""
        unique = refs.dropna().astype(str).drop_duplicates()
        dates = self.earliest(pd.Series(unique.to_numpy(), index=unique.to_numpy()), column_of)
        self._dates = dict.fromkeys(unique, pd.NaT)
        self._dates.update((str(k), v) for k, v in dates.items())
        if self.has_table("truth"):
            truth = self._truth(model)
            county = self._county_of(truth, columns, region=None)
            self._counties[model] = truth.merge(county, on="record", how="left")

    def _known_dates(self, refs: pd.Series) -> pd.Series | None:
        """The earliest date per row from remembered dates (None: not all were remembered)."""
        refs = refs.astype(str)
        if not self._dates or not all(r in self._dates for r in refs):
            return None
        dated = pd.Series([self._dates[r] for r in refs], index=refs.index, dtype="datetime64[us]")
        dated = dated.dropna()
        if dated.empty:
            return pd.Series([], dtype="datetime64[us]")
        return dated.groupby(level=0).min()

    def _truth(self, model: str) -> pd.DataFrame:
        return self.sql(
            f"SELECT rule, record FROM {self.relation('truth')} WHERE model = ?", [model]
        )

    def _county_of(
        self, truth: pd.DataFrame, columns: Mapping[str, str], *, region: str | None
    ) -> pd.DataFrame:
        """``record, county`` of the truth records (only those in ``region`` unless None)."""
        names = set(truth.record.str.split(":", n=1).str[0])
        parts = [
            f"SELECT '{name}:' || {self._record_key(name)} AS record, "
            f"CAST({snapshots.quote(column)} AS VARCHAR) AS county FROM {self.relation(name)}"
            + ("" if region is None else f" WHERE {snapshots.quote(column)} = $region")
            for name, column in sorted(columns.items())
            if name in names and self.has_table(name)
        ]
        if not parts:
            return pd.DataFrame({"record": [], "county": []})
        return self.sql(
            f"SELECT DISTINCT c.record, c.county FROM ({' UNION ALL '.join(parts)}) c "
            "JOIN candidates USING (record)",
            {} if region is None else {"region": region},
            candidates=truth[["record"]].drop_duplicates(),
        )

    def planted(self, model: str, region: str, columns: Mapping[str, str]) -> pd.DataFrame:
        """The truth rows (rule, record) of ``model`` whose record lies in county ``region``.

        ``columns`` names each dataset's region column; with ``region`` "" every row.
        """
        if model in self._counties:  # remembered for a run split by county
            known = self._counties[model]
            rows = known if not region else known[known.county == region]
            return rows[["rule", "record"]].drop_duplicates().reset_index(drop=True)
        truth = self._truth(model)
        if not region or truth.empty:
            return truth
        inside = self._county_of(truth, columns, region=region)
        return truth[truth.record.isin(set(inside.record))].reset_index(drop=True)

    def close(self) -> None:
        if self._raw is not None:
            with contextlib.suppress(Exception):
                self._raw.close()
            self._raw = None
        self._lease.release()

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_for(run_dir: Path, manifest: Mapping[str, Any]) -> Records | None:
    """The records of the workspace that holds ``run_dir`` (``<home>/runs/<model>/<id>``)."""
    home = run_dir.parent.parent.parent
    if run_dir.parent.parent.name != "runs" or not snapshots.catalog_path(home).exists():
        return None
    versions = {
        name: str(info["snapshot"])
        for name, info in (manifest.get("datasets") or {}).items()
        if isinstance(info, Mapping) and info.get("snapshot")
    }
    try:
        return Records(home, versions=versions)
    except (OSError, ValueError):
        return None
