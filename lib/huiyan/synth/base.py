"""The synthetic province under construction: people, households, enterprises, jobs and deaths.

A :class:`Province` is a mutable builder shared by the family modules
(insurance, penalties, auctions, bankruptcy, forest). It starts with a clean
background population (the ``households``, ``enterprises``,
``enterprise_people``, ``social_security`` and ``deaths`` datasets); each
family then adds its own datasets with :meth:`Province.add`, draws people and
companies from the shared pool so the same people recur across datasets, and
records every planted violation with :meth:`Province.plant`.

Everything is vectorised (numpy / pandas) so the province scale stays within
minutes; nothing here writes to the database (see :mod:`huiyan.synth`).

Example:
    >>> from huiyan.synth import base, scale
    >>> p = base.Province(scale.get("tiny"), seed=1)
    >>> p.build_background()
    >>> len(p.people) >= p.count("households")
    True
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from huiyan import contracts
from huiyan.errors import HuiyanError
from huiyan.synth import ids, names, regions
from huiyan.synth.scale import Scale

log = logging.getLogger(__name__)

REF_DATE = np.datetime64("2024-12-31")
"""The synthetic province's "today": data runs up to this date."""

OUTSIDE_REGIONS = np.array(
    ["341221", "341282", "362321", "522427", "411521", "513030", "421127", "350583", "320923"]
)
"""Birthplace codes of people who moved to Zhejiang (Anhui, Jiangxi, Guizhou, Henan, Sichuan…)."""

RELATIONS = ("户主", "配偶", "子女", "父母")
OFFICER_ROLES = ("法定代表人", "股东", "董事", "监事", "经理", "财务负责人")
ENTERPRISE_STATUS = ("存续", "在业", "吊销", "注销", "破产")

PEOPLE_COLUMNS = ("person_id", "name", "gender", "birth_date", "region", "household_id", "relation")

Producer = Callable[[], Iterable[pd.DataFrame]]


class SynthError(HuiyanError, RuntimeError):
    """The synthetic generator could not build consistent data (a generator bug, not a user error)."""


def months(values: np.ndarray) -> np.ndarray:
    """Month numbers (months since 1970-01) to first-of-month dates."""
    return np.asarray(values, dtype="int64").astype("datetime64[M]").astype("datetime64[D]")


def month_index(dates: Any) -> np.ndarray:
    """Dates to month numbers (months since 1970-01)."""
    return np.asarray(dates, dtype="datetime64[M]").astype("int64")


def object_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame whose text columns stay plain Python objects (no Arrow string conversion).

    The builder's frames are intermediate: they are converted to Arrow once, when
    written. Keeping text as ``object`` avoids converting every column to pandas'
    Arrow-backed ``str`` and back on each step, which dominates at province scale.
    """
    out: dict[str, Any] = {}
    n = None
    for name, values in columns.items():
        if np.ndim(values) == 0 and not isinstance(values, list | np.ndarray | pd.Series):
            out[name] = values
            continue
        arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if arr.dtype.kind in "OUS":
            out[name] = pd.Series(arr.astype(object, copy=False), dtype=object, copy=False)
        else:
            out[name] = pd.Series(arr, copy=False)
        n = len(arr)
    if n is None:
        return pd.DataFrame(out)
    return pd.DataFrame(
        {k: (v if isinstance(v, pd.Series) else _full(v, n)) for k, v in out.items()}
    )


def _full(value: Any, n: int) -> pd.Series:
    if isinstance(value, str) or value is None:
        return pd.Series(np.full(n, value, dtype=object), dtype=object)
    return pd.Series(np.full(n, value))


def positions(sizes: np.ndarray) -> np.ndarray:
    """0, 1, …, k-1 for each group size k, concatenated (``[2, 3]`` -> ``[0, 1, 0, 1, 2]``)."""
    sizes = np.asarray(sizes, dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    return np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(starts, sizes)


def random_dates(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    """``n`` dates uniformly between ``start`` and ``end`` (inclusive)."""
    a = np.datetime64(start, "D").astype("int64")
    b = np.datetime64(end, "D").astype("int64")
    return rng.integers(a, b + 1, n).astype("datetime64[D]")


_DEDUP_CHARS = "鑫源达泰恒通瑞丰"
"""Characters that make a taken company name distinct (see ``Province._distinct_names``)."""


class Province:
    """The synthetic province being built: shared people and companies plus every family's rows.

    Args:
        scale: the target volumes (:func:`huiyan.synth.scale.get`).
        seed: the random seed; the same seed gives identical data.
    """

    def __init__(self, scale: Scale, *, seed: int = 7) -> None:
        from huiyan.synth import phrasing  # imports this module: here, not at the top

        self.scale = scale
        self.seed = seed
        self.phrasing: phrasing.Phrasing = phrasing.choose(phrasing.DEFAULT)
        """The family (or mix) that words the free texts; see :mod:`huiyan.synth.phrasing`."""
        self.rng = np.random.default_rng(seed)
        self.counties = regions.for_scale(scale.name)
        self.county_codes = np.array([c.code for c in self.counties])
        weights = self.rng.lognormal(0.0, 0.4, len(self.counties))
        self.county_weights = weights / weights.sum()
        self._pop = _Columns()
        self._people_cache: pd.DataFrame | None = None
        self._row_of: dict[str, int] = {}
        self._candidates: dict[tuple[int, int], _Candidates] = {}
        self._empty_orgs: pd.DataFrame | None = None
        self._codes: set[str] = set()
        self._household_seq = 0
        self._dead: dict[str, np.datetime64] = {}
        self._frames: dict[str, list[pd.DataFrame]] = {}
        self._producers: dict[str, list[Producer]] = {}
        self._tables: dict[str, list[pd.DataFrame]] = {}
        self._truth: list[pd.DataFrame] = []
        self._villages: dict[str, np.ndarray] = {}

    # -- sizes and places ----------------------------------------------------------------------

    def count(self, dataset: str) -> int:
        """The target number of rows of ``dataset`` at this scale."""
        return self.scale.count(dataset)

    def county(self, code: str) -> regions.County:
        """The county with this code."""
        return regions.BY_CODE[code]

    def county_values(self, regions: Any, attr: str) -> np.ndarray:
        """``attr`` of the county of each region code (e.g. "city", "plate_prefix"), vectorised."""
        codes, uniq = pd.factorize(np.asarray(regions, dtype=object))
        if attr == "short":
            values = [names.short_place(self.county(str(u)).name) for u in uniq]
        else:
            values = [getattr(self.county(str(u)), attr) for u in uniq]
        return np.array([*values, None], dtype=object)[codes]

    def pick_regions(self, n: int) -> np.ndarray:
        """``n`` county codes drawn by the counties' (fixed, uneven) population weights."""
        return self.rng.choice(self.county_codes, size=n, p=self.county_weights)

    def _regions_for(self, n: int, region: str | np.ndarray | None) -> np.ndarray:
        if region is None:
            return self.pick_regions(n)
        if isinstance(region, str):
            return np.full(n, region, dtype=object)
        return np.asarray(region, dtype=object)

    def villages(self, region: str) -> np.ndarray:
        """The villages of a county (fixed per seed): 12 at tiny scale, 150 otherwise."""
        if not self._villages:
            n = 12 if self.scale.name == "tiny" else 150
            vrng = np.random.default_rng([self.seed, 11])
            for code in self.county_codes:
                self._villages[str(code)] = names.villages(vrng, n)
        return self._villages[region]

    # -- people --------------------------------------------------------------------------------

    @property
    def people(self) -> pd.DataFrame:
        """Every person: person_id, name, gender, birth_date, region, household_id, relation."""
        if self._people_cache is None:
            self._people_cache = self.person_rows(None)
        return self._people_cache

    def person_rows(self, rows: np.ndarray | None) -> pd.DataFrame:
        """The people at these positions of :attr:`people` (all of them for None), as a frame."""
        cols = {c: self._pop[c] for c in PEOPLE_COLUMNS}
        if rows is not None:
            cols = {c: v[rows] for c, v in cols.items()}
        return object_frame(cols)

    @property
    def n_people(self) -> int:
        """How many people the province has so far."""
        return self._pop.n

    def rows_of(self, person_ids: Iterable[str]) -> np.ndarray:
        """Positions in :attr:`people` of these resident IDs (-1 for an unknown ID)."""
        if isinstance(person_ids, pd.Series | pd.Index):
            person_ids = person_ids.to_numpy()
        get = self._row_of.get
        return np.fromiter((get(x, -1) for x in person_ids), np.int64)

    def _unique_ids(
        self, id_regions: np.ndarray, births: np.ndarray, genders: np.ndarray
    ) -> np.ndarray:
        out = ids.resident_ids(id_regions, births, genders, self.rng.integers(0, 500, len(births)))
        known = self._row_of
        for _ in range(50):
            seen = pd.Series(out).duplicated().to_numpy()
            clash = seen | np.fromiter((x in known for x in out), bool, len(out))
            if not clash.any():
                break
            k = int(clash.sum())
            out[clash] = ids.resident_ids(
                id_regions[clash], births[clash], genders[clash], self.rng.integers(0, 500, k)
            )
        else:  # pragma: no cover - needs an absurdly dense population
            raise SynthError("无法生成不重复的身份证号。", "Could not draw unique resident IDs.")
        return out

    def _append_people(
        self,
        region: np.ndarray,
        gender: np.ndarray,
        birth: np.ndarray,
        household: np.ndarray,
        relation: np.ndarray,
        *,
        family: np.ndarray | None = None,
    ) -> pd.DataFrame:
        n = len(region)
        r = self.rng.random(n)
        id_region = np.where(
            r < 0.88,
            region.astype("<U6"),
            np.where(
                r < 0.95,
                self.rng.choice(self.county_codes, n),
                self.rng.choice(OUTSIDE_REGIONS, n),
            ),
        )
        first = self._pop.n
        pid = self._unique_ids(id_region, birth, gender)
        self._row_of.update(zip(pid, range(first, first + n), strict=True))
        births = birth.astype("datetime64[D]")
        self._pop.append(
            person_id=pid.astype(object),
            name=names.person_names(self.rng, gender, family=family),
            gender=np.asarray(gender).astype(object),
            birth_date=births,
            region=np.asarray(region).astype(object),
            household_id=np.asarray(household).astype(object),
            relation=np.asarray(relation).astype(object),
            age=(REF_DATE - births).astype("int64") // 365.25,
            region_code=np.asarray(region).astype("<U6").astype(np.int64),
            alive=np.ones(n, dtype=bool),
        )
        self._people_cache = None
        return self.person_rows(np.arange(first, first + n))

    def _new_household_ids(self, regions_: np.ndarray) -> np.ndarray:
        n = len(regions_)
        seq = np.arange(self._household_seq + 1, self._household_seq + n + 1)
        self._household_seq += n
        return np.char.add(
            np.asarray(regions_, dtype="<U6"), np.char.zfill(seq.astype(str), 9)
        ).astype(object)

    def _births(self, min_age: float, max_age: float, n: int) -> np.ndarray:
        age_days = self.rng.uniform(min_age * 365.25, (max_age + 1) * 365.25 - 1, n).astype("int64")
        return REF_DATE - age_days.astype("timedelta64[D]")

    def new_people(
        self,
        n: int,
        *,
        region: str | np.ndarray | None = None,
        min_age: int = 20,
        max_age: int = 65,
        household: str | np.ndarray = "new",
        relation: str = "子女",
        gender: str | np.ndarray | None = None,
    ) -> pd.DataFrame:
        """Add ``n`` fresh people (valid IDs, believable names) and return them.

        Args:
            region: county code(s) they live in; None draws counties by population.
            household: "new" makes each the head (户主) of a new household; an array of
                household ids puts them into those households with ``relation`` (their
                region then follows the household).
            gender: '男', '女', an array, or None for a random mix.
        """
        if n <= 0:
            return self.person_rows(np.array([], dtype=np.int64))
        if isinstance(household, str):
            regs = self._regions_for(n, region)
            hh = self._new_household_ids(regs)
            rel = np.full(n, "户主", dtype=object)
            family = None
        else:
            hh = np.asarray(household, dtype=object)
            head = self._household_heads(hh)
            found = head >= 0
            regs = np.full(n, None, dtype=object)
            regs[found] = self._pop["region"][head[found]]
            missing = ~found
            if missing.any():
                regs[missing] = self._regions_for(int(missing.sum()), region)[: int(missing.sum())]
            rel = np.full(n, relation, dtype=object)
            head_names = np.full(n, "", dtype=object)
            head_names[found] = self._pop["name"][head[found]]
            head_names = head_names.astype(str)
            family = np.where(
                (relation == "子女") & (head_names != ""),
                names.surname_of(head_names),
                names.surnames(self.rng, n),
            )
        if gender is None:
            g = np.where(self.rng.random(n) < 0.55, "男", "女").astype(object)
        else:
            g = np.full(n, gender, dtype=object) if isinstance(gender, str) else np.asarray(gender)
        births = self._births(min_age, max_age, n)
        return self._append_people(
            np.asarray(regs, dtype=object), g, births, hh, rel, family=family
        )

    def _household_heads(self, households: np.ndarray) -> np.ndarray:
        """The position of each household's first member (its head), -1 where unknown."""
        hh = self._pop["household_id"]
        index = pd.Index(hh, dtype=object)
        first = np.flatnonzero(~index.duplicated())
        pos = pd.Index(hh[first], dtype=object).get_indexer(pd.Index(households, dtype=object))
        return np.where(pos >= 0, first[np.maximum(pos, 0)], -1)

    def ages(self, people: pd.DataFrame | None = None) -> np.ndarray:
        """Age in whole years on :data:`REF_DATE`."""
        if people is None:
            return self._pop["age"]
        days = (REF_DATE - people.birth_date.to_numpy().astype("datetime64[D]")).astype("int64")
        return days // 365.25

    def _masks(self) -> tuple[np.ndarray, np.ndarray]:
        """(age, alive) of every person, aligned with :attr:`people`."""
        return self._pop["age"], self._pop["alive"]

    def is_alive(self, person_ids: Iterable[str]) -> np.ndarray:
        """True for each person not recorded as dead."""
        if isinstance(person_ids, pd.Series | pd.Index):
            person_ids = person_ids.to_numpy()
        dead = self._dead
        if not dead:
            return np.ones(len(np.asarray(person_ids, dtype=object)), dtype=bool)
        return np.fromiter((x not in dead for x in person_ids), bool)

    def _eligible(
        self, *, min_age: int, max_age: int, alive: bool, exclude: Iterable[str] | None
    ) -> np.ndarray:
        age, living = self._masks()
        mask = (age >= min_age) & (age <= max_age)
        if alive:
            mask &= living
        if exclude is not None:
            rows = self.rows_of(exclude)
            mask[rows[rows >= 0]] = False
        return mask

    def sample_people(
        self,
        n: int,
        *,
        region: str | np.ndarray | None = None,
        alive: bool = True,
        exclude: Iterable[str] | None = None,
        min_age: int = 20,
        max_age: int = 70,
    ) -> pd.DataFrame:
        """``n`` existing adults, without replacement (fresh people make up any shortfall).

        ``region`` is one county code, None (anywhere), or an array of ``n`` county codes:
        one person per entry, living in that county.
        """
        mask = self._eligible(min_age=min_age, max_age=max_age, alive=alive, exclude=exclude)
        if region is not None and not isinstance(region, str):
            return self._sample_by_region(np.asarray(region), mask, min_age, max_age)
        if region:
            mask &= self._pop["region_code"] == int(region)
        pool = np.flatnonzero(mask)
        k = min(n, len(pool))
        rows = np.sort(self.rng.choice(pool, size=k, replace=False)) if k else pool[:0]
        chosen = self.person_rows(rows)
        if k < n:
            log.debug("sample_people: %d short in %s, adding fresh people", n - k, region or "all")
            extra = self.new_people(n - k, region=region, min_age=min_age, max_age=max_age)
            chosen = pd.concat([chosen, extra], ignore_index=True)
        return chosen

    def _sample_by_region(
        self, regs: np.ndarray, mask: np.ndarray, min_age: int, max_age: int
    ) -> pd.DataFrame:
        codes = regs.astype("<U6").astype(np.int64)
        rows = np.full(len(regs), -1, dtype=np.int64)
        pool_rows = np.flatnonzero(mask)
        groups = _group_rows(pool_rows, self._pop["region_code"][pool_rows])
        want = _group_rows(np.arange(len(codes)), codes)
        for code, sel in want.items():
            pool = groups.get(code, pool_rows[:0])
            k = min(len(sel), len(pool))
            if k:
                rows[sel[:k]] = np.sort(self.rng.choice(pool, size=k, replace=False))
        short = np.flatnonzero(rows < 0)
        out = self.person_rows(np.maximum(rows, 0))
        if len(short):
            extra = self.new_people(
                len(short), region=regs[short], min_age=min_age, max_age=max_age
            )
            out.iloc[short] = extra[list(out.columns)].to_numpy()
        return out

    def _region_mask(self, region: str) -> np.ndarray:
        return self._pop["region_code"] == int(region)

    def kill(self, person_ids: np.ndarray, death_dates: np.ndarray) -> pd.DataFrame:
        """Record people as dead (rows of ``deaths``) and return those rows."""
        pid = np.asarray(person_ids, dtype=object)
        rows = self.rows_of(pid)
        known = rows >= 0
        name = np.full(len(pid), None, dtype=object)
        name[known] = self._pop["name"][rows[known]]
        frame = object_frame(
            {
                "person_id": pid,
                "name": name,
                "death_date": np.asarray(death_dates).astype("datetime64[D]"),
            }
        )
        keep = self.is_alive(pid) & ~pd.Series(pid).duplicated().to_numpy()
        frame = frame[keep]
        self._dead.update(zip(frame.person_id, frame.death_date.to_numpy(), strict=True))
        dead_rows = rows[keep & known]
        self._pop.set("alive", dead_rows, False)
        self._candidates.clear()
        self.add("deaths", frame)
        return frame

    # -- enterprises ---------------------------------------------------------------------------

    def _unique_codes(self, regs: np.ndarray) -> np.ndarray:
        out = ids.credit_codes(regs.astype("<U6"), self.rng)
        for _ in range(50):
            clash = pd.Series(out).duplicated().to_numpy() | np.fromiter(
                (x in self._codes for x in out), bool, len(out)
            )
            if not clash.any():
                break
            out[clash] = ids.credit_codes(regs[clash].astype("<U6"), self.rng)
        self._codes.update(out)
        return out

    def new_enterprises(
        self,
        n: int,
        *,
        region: str | np.ndarray | None = None,
        kind: str = "company",
        officers: bool = True,
        status: str | np.ndarray | None = None,
        legal_reps: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Add ``n`` enterprises of ``kind`` (company, repair_shop, assessor, rental, mining…).

        Their legal representatives are existing adults of the county (or ``legal_reps``,
        one row per enterprise); with ``officers`` the legal representative (and often a
        shareholder and a supervisor) are added to ``enterprise_people``. Returns the
        new ``enterprises`` rows.
        """
        if n <= 0:
            return self.no_enterprises()
        regs = self._regions_for(n, region)
        places = self.county_values(regs, "short").astype(str)
        if kind == "company":
            kinds = self.rng.choice(names.COMPANY_KINDS, size=n)
        else:
            kinds = np.full(n, kind)
        org_names = np.empty(n, dtype=object)
        industries = np.empty(n, dtype=object)
        for k in np.unique(kinds):
            sel = kinds == k
            org_names[sel], industries[sel] = names.company_names(self.rng, places[sel], str(k))
        org_names = self._distinct_names(org_names)
        if legal_reps is None:
            rep_rows = self._rows_in(regs, min_age=25, max_age=65)
            rep_names, rep_ids = self._pop["name"][rep_rows], self._pop["person_id"][rep_rows]
        else:
            rep_names, rep_ids = legal_reps.name.to_numpy(), legal_reps.person_id.to_numpy()
        if status is None:
            st = self.rng.choice(ENTERPRISE_STATUS[:4], size=n, p=[0.72, 0.16, 0.04, 0.08])
        else:
            st = np.full(n, status, dtype=object) if isinstance(status, str) else np.asarray(status)
        frame = object_frame(
            {
                "org_id": self._unique_codes(regs),
                "name": org_names,
                "legal_rep_name": rep_names,
                "legal_rep_id": rep_ids,
                "industry": industries,
                "region": regs.astype(object),
                "established_date": random_dates(self.rng, "1998-01-01", "2021-12-31", n),
                "status": st.astype(object),
                "kind": kinds.astype(object),
            }
        )
        self.add("enterprises", frame)
        if officers:
            self._add_officers(frame)
        return frame

    def no_enterprises(self) -> pd.DataFrame:
        """An empty ``enterprises`` frame (contract columns plus ``kind``)."""
        if self._empty_orgs is None:
            cols = [*contracts.dataset("enterprises").column_names, "kind"]
            self._empty_orgs = pd.DataFrame(columns=cols)
        return self._empty_orgs.copy()

    def _distinct_names(self, org_names: np.ndarray) -> np.ndarray:
        taken = self._org_names()
        out = org_names.copy()
        seen: set[str] = set()
        for i, name in enumerate(out):
            k = 1
            candidate = name
            while candidate in taken or candidate in seen:
                k += 1
                # a longer trade name after the place (越城鑫信正价格评估有限公司), as a
                # registry would have it: never 第2有限公司, which no reader takes for a name
                rounds, which = divmod(k - 2, len(_DEDUP_CHARS))
                candidate = name[:2] + _DEDUP_CHARS[which] * (1 + rounds) + name[2:]
            out[i] = candidate
            seen.add(candidate)
        taken.update(seen)
        return out

    def _org_names(self) -> set[str]:
        if not hasattr(self, "_org_name_set"):
            self._org_name_set: set[str] = set()
        return self._org_name_set

    def _people_in(self, regs: np.ndarray, *, min_age: int, max_age: int) -> pd.DataFrame:
        """One existing adult per entry of ``regs`` (the same person may recur)."""
        return self.person_rows(self._rows_in(regs, min_age=min_age, max_age=max_age))

    def _rows_in(self, regs: np.ndarray, *, min_age: int, max_age: int) -> np.ndarray:
        """Positions of one living adult per entry of ``regs``, drawn with replacement."""
        codes = np.asarray(regs).astype("<U6").astype(np.int64)
        rows = np.empty(len(codes), dtype=np.int64)
        groups = self._adults_by_region(min_age, max_age)
        for code, sel in _group_rows(np.arange(len(codes)), codes).items():
            pool = groups.get(code)
            if pool is None or not len(pool):
                fresh = self.new_people(
                    len(sel), region=str(code), min_age=min_age, max_age=max_age
                )
                rows[sel] = self.rows_of(fresh.person_id)
                continue
            rows[sel] = self.rng.choice(pool, size=len(sel))
        return rows

    def _adults_by_region(self, min_age: int, max_age: int) -> dict[int, np.ndarray]:
        """Living people aged min-max, grouped by county code; extended as people are added."""
        entry = self._candidates.setdefault((min_age, max_age), _Candidates())
        n = self._pop.n
        if entry.upto < n:
            age, living = self._masks()
            new = np.arange(entry.upto, n)
            new = new[(age[new] >= min_age) & (age[new] <= max_age) & living[new]]
            for code, rows in _group_rows(new, self._pop["region_code"][new]).items():
                have = entry.groups.get(code)
                entry.groups[code] = rows if have is None else np.concatenate([have, rows])
            entry.upto = n
        return entry.groups

    def _add_officers(self, orgs: pd.DataFrame) -> None:
        n = len(orgs)
        regs = orgs.region.to_numpy()
        parts = [
            object_frame(
                {
                    "org_id": orgs.org_id.to_numpy(),
                    "person_id": orgs.legal_rep_id.to_numpy(),
                    "name": orgs.legal_rep_name.to_numpy(),
                    "role": "法定代表人",
                }
            )
        ]
        # the legal representative is usually also a shareholder
        sh = self.rng.random(n) < 0.7
        parts.append(parts[0][sh].assign(role="股东"))
        for role, share in (
            ("股东", 0.45),
            ("监事", 0.45),
            ("经理", 0.15),
            ("财务负责人", 0.1),
            ("董事", 0.1),
        ):
            sel = self.rng.random(n) < share
            if sel.any():
                who = self._rows_in(regs[sel], min_age=22, max_age=70)
                parts.append(
                    object_frame(
                        {
                            "org_id": orgs.org_id.to_numpy()[sel],
                            "person_id": self._pop["person_id"][who],
                            "name": self._pop["name"][who],
                            "role": role,
                        }
                    )
                )
        rows = pd.concat(parts, ignore_index=True).drop_duplicates(["org_id", "person_id", "role"])
        # a supervisor may not also be the legal representative
        lr = pd.MultiIndex.from_arrays([orgs.org_id.to_numpy(), orgs.legal_rep_id.to_numpy()])
        pair = pd.MultiIndex.from_arrays([rows.org_id.to_numpy(), rows.person_id.to_numpy()]).isin(
            lr
        )
        bad = (rows.role == "监事").to_numpy() & pair
        self.add("enterprise_people", rows[~bad])

    def add_officers(self, org_ids: np.ndarray, people: pd.DataFrame, role: str) -> pd.DataFrame:
        """Make each person an officer (``role``) of the matching organisation."""
        rows = object_frame(
            {
                "org_id": np.asarray(org_ids, dtype=object),
                "person_id": people.person_id.to_numpy(),
                "name": people.name.to_numpy(),
                "role": role,
            }
        )
        self.add("enterprise_people", rows)
        return rows

    # -- employment ----------------------------------------------------------------------------

    def employ(
        self,
        people: pd.DataFrame,
        orgs: pd.DataFrame,
        start_months: np.ndarray,
        end_months: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """Add social-security rows: person i works for orgs row i from start to end month.

        ``start_months``/``end_months`` are dates (any day; stored as the first of the
        month); a missing end (NaT) means still employed.
        """
        n = len(people)
        start = np.asarray(start_months, dtype="datetime64[M]").astype("datetime64[D]")
        if end_months is None:
            end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        else:
            end = np.asarray(end_months, dtype="datetime64[M]").astype("datetime64[D]")
        rows = object_frame(
            {
                "person_id": people.person_id.to_numpy(),
                "name": people.name.to_numpy(),
                "employer_name": orgs.name.to_numpy(),
                "employer_org_id": orgs.org_id.to_numpy(),
                "region": orgs.region.to_numpy(),
                "start_month": start,
                "end_month": end,
            }
        )
        self.add("social_security", rows)
        return rows

    # -- family rows and truth -----------------------------------------------------------------

    def add(self, dataset: str, frame: pd.DataFrame) -> None:
        """Append rows (contract columns; extra columns are dropped at write time) to ``dataset``."""
        if len(frame):
            self._frames.setdefault(dataset, []).append(frame)
            if dataset == "enterprises":
                self._org_names().update(frame.name.to_numpy())
                self._codes.update(frame.org_id.to_numpy())

    def add_later(self, dataset: str, producer: Producer) -> None:
        """Register a producer of row chunks, called only while writing (for bulky text)."""
        self._producers.setdefault(dataset, []).append(producer)

    def add_table(self, name: str, frame: Any) -> None:
        """Append rows (a DataFrame or an Arrow table) to an extra, non-contract table.

        Extra tables (e.g. ``synth_judgment_facts``) are written after every dataset, so a
        producer registered with :meth:`add_later` may still add to them while it runs.
        """
        if len(frame):
            self._tables.setdefault(name, []).append(frame)

    def frame(self, dataset: str) -> pd.DataFrame:
        """The rows of ``dataset`` added so far (producers not included)."""
        parts = self._frames.get(dataset, [])
        if not parts:
            return pd.DataFrame(columns=list(contracts.dataset(dataset).column_names))
        if len(parts) > 1:
            self._frames[dataset] = [pd.concat(parts, ignore_index=True)]
        return self._frames[dataset][0]

    @property
    def enterprises(self) -> pd.DataFrame:
        """Every enterprise so far (contract columns plus ``kind``)."""
        return self.frame("enterprises")

    @property
    def enterprise_people(self) -> pd.DataFrame:
        return self.frame("enterprise_people")

    @property
    def social_security(self) -> pd.DataFrame:
        return self.frame("social_security")

    @property
    def deaths(self) -> pd.DataFrame:
        return self.frame("deaths")

    def plant(self, model: str, rule: str, records: Iterable[str]) -> int:
        """Record planted violations: one truth row per record reference; returns how many."""
        recs = pd.unique(np.asarray(list(records), dtype=object))
        if len(recs):
            self._truth.append(object_frame({"model": model, "rule": rule, "record": recs}))
        return len(recs)

    @property
    def truth(self) -> pd.DataFrame:
        """Every planted violation: model, rule, record (no duplicates)."""
        if not self._truth:
            return pd.DataFrame({"model": [], "rule": [], "record": []}, dtype=object)
        return pd.concat(self._truth, ignore_index=True).drop_duplicates(ignore_index=True)

    def chunks(self, dataset: str) -> Iterator[pd.DataFrame]:
        """Every chunk of rows of ``dataset``: added frames, then producer output."""
        if dataset == "households":
            yield self.people
            return
        yield from self._frames.get(dataset, [])
        for producer in self._producers.get(dataset, []):
            yield from producer()

    def release(self, dataset: str) -> None:
        """Forget the rows (and producers) of ``dataset`` once written, to free memory."""
        self._frames.pop(dataset, None)
        self._producers.pop(dataset, None)
        if dataset == "households":
            self._people_cache = None

    def extra_table_names(self) -> list[str]:
        """The names of the extra (non-contract) tables families added."""
        return list(self._tables)

    def extra_tables(self) -> dict[str, Any]:
        """The extra (non-contract) tables families added (DataFrames or Arrow tables)."""
        import pyarrow as pa

        out: dict[str, Any] = {}
        for k, v in self._tables.items():
            if isinstance(v[0], pa.Table):
                out[k] = pa.concat_tables(v)
            else:
                out[k] = pd.concat(v, ignore_index=True)
        return out

    # -- the clean background ------------------------------------------------------------------

    def build_background(self) -> None:
        """Households, enterprises with officers, employment histories and deaths (no violations)."""
        from huiyan.synth import background

        background.build(self)


class _Columns:
    """Columns of numpy arrays that grow in chunks and are joined when read."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {}
        self.n = 0

    def append(self, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            self._parts.setdefault(name, []).append(values)
        self.n += len(next(iter(columns.values())))

    def __getitem__(self, name: str) -> np.ndarray:
        parts = self._parts.get(name, [])
        if len(parts) > 1:
            parts[:] = [np.concatenate(parts)]
        return parts[0] if parts else np.array([], dtype=object)

    def set(self, name: str, rows: np.ndarray, value: Any) -> None:
        """Overwrite ``name`` at ``rows`` (in place)."""
        self[name][rows] = value


class _Candidates:
    """People of an age band grouped by county (rows of the population), kept up to date."""

    def __init__(self) -> None:
        self.upto = 0
        self.groups: dict[int, np.ndarray] = {}


def _group_rows(rows: np.ndarray, keys: np.ndarray) -> dict[int, np.ndarray]:
    """``rows`` split by ``keys`` (integers), each group in its original order."""
    if not len(rows):
        return {}
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    starts = np.r_[0, cuts]
    return {
        int(k): rows[g] for k, g in zip(sorted_keys[starts], np.split(order, cuts), strict=True)
    }
