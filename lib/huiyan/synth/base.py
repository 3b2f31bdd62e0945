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


def random_dates(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    """``n`` dates uniformly between ``start`` and ``end`` (inclusive)."""
    a = np.datetime64(start, "D").astype("int64")
    b = np.datetime64(end, "D").astype("int64")
    return rng.integers(a, b + 1, n).astype("datetime64[D]")


class Province:
    """The synthetic province being built: shared people and companies plus every family's rows.

    Args:
        scale: the target volumes (:func:`huiyan.synth.scale.get`).
        seed: the random seed; the same seed gives identical data.
    """

    def __init__(self, scale: Scale, *, seed: int = 7) -> None:
        self.scale = scale
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.counties = regions.for_scale(scale.name)
        self.county_codes = np.array([c.code for c in self.counties])
        weights = self.rng.lognormal(0.0, 0.4, len(self.counties))
        self.county_weights = weights / weights.sum()
        self._people: list[pd.DataFrame] = []
        self._people_cache: pd.DataFrame | None = None
        self._ids: set[str] = set()
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
            self._people_cache = (
                pd.concat(self._people, ignore_index=True)
                if self._people
                else pd.DataFrame(columns=list(PEOPLE_COLUMNS))
            )
        return self._people_cache

    def _unique_ids(
        self, id_regions: np.ndarray, births: np.ndarray, genders: np.ndarray
    ) -> np.ndarray:
        out = ids.resident_ids(id_regions, births, genders, self.rng.integers(0, 500, len(births)))
        for _ in range(50):
            seen = pd.Series(out).duplicated().to_numpy()
            clash = seen | np.fromiter((x in self._ids for x in out), bool, len(out))
            if not clash.any():
                break
            k = int(clash.sum())
            out[clash] = ids.resident_ids(
                id_regions[clash], births[clash], genders[clash], self.rng.integers(0, 500, k)
            )
        else:  # pragma: no cover - needs an absurdly dense population
            raise SynthError("无法生成不重复的身份证号。", "Could not draw unique resident IDs.")
        self._ids.update(out)
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
        frame = pd.DataFrame(
            {
                "person_id": self._unique_ids(id_region, birth, gender),
                "name": names.person_names(self.rng, gender, family=family),
                "gender": gender.astype(object),
                "birth_date": birth.astype("datetime64[D]"),
                "region": region.astype(object),
                "household_id": household.astype(object),
                "relation": relation.astype(object),
            }
        )
        self._people.append(frame)
        self._people_cache = None
        return frame

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
            return self.people.iloc[0:0].copy()
        if isinstance(household, str):
            regs = self._regions_for(n, region)
            hh = self._new_household_ids(regs)
            rel = np.full(n, "户主", dtype=object)
            family = None
        else:
            hh = np.asarray(household, dtype=object)
            ppl = self.people
            heads = ppl.drop_duplicates("household_id").set_index("household_id")
            regs = heads.region.reindex(hh).to_numpy()
            missing = pd.isna(regs)
            if missing.any():
                regs[missing] = self._regions_for(int(missing.sum()), region)[: int(missing.sum())]
            rel = np.full(n, relation, dtype=object)
            head_names = heads.name.reindex(hh).fillna("").to_numpy().astype(str)
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

    def ages(self, people: pd.DataFrame | None = None) -> np.ndarray:
        """Age in whole years on :data:`REF_DATE`."""
        ppl = self.people if people is None else people
        days = (REF_DATE - ppl.birth_date.to_numpy().astype("datetime64[D]")).astype("int64")
        return days // 365.25

    def _masks(self) -> tuple[np.ndarray, np.ndarray]:
        """(age, alive) of every person, cached until people or deaths change."""
        key = (len(self.people), len(self._dead))
        if getattr(self, "_mask_key", None) != key:
            ppl = self.people
            self._mask_cache = (self.ages(ppl), self.is_alive(ppl.person_id.to_numpy()))
            self._mask_key = key
        return self._mask_cache

    def is_alive(self, person_ids: Iterable[str]) -> np.ndarray:
        """True for each person not recorded as dead."""
        if isinstance(person_ids, pd.Series):
            person_ids = person_ids.to_numpy()
        elif not isinstance(person_ids, np.ndarray):
            person_ids = np.asarray(list(person_ids), dtype=object)
        idx = pd.Index(np.asarray(person_ids, dtype=object), dtype=object)
        if not self._dead:
            return np.ones(len(idx), dtype=bool)
        return ~idx.isin(pd.Index(list(self._dead), dtype=object))

    def sample_people(
        self,
        n: int,
        *,
        region: str | None = None,
        alive: bool = True,
        exclude: Iterable[str] | None = None,
        min_age: int = 20,
        max_age: int = 70,
    ) -> pd.DataFrame:
        """``n`` existing adults, without replacement (fresh people make up any shortfall)."""
        ppl = self.people
        age, living = self._masks()
        mask = (age >= min_age) & (age <= max_age)
        if region:
            mask &= self._region_mask(region)
        if alive:
            mask &= living
        if exclude is not None:
            skip = set(exclude)
            if skip:
                ids_ = pd.Index(ppl.person_id.to_numpy(), dtype=object)
                mask &= ~ids_.isin(pd.Index(list(skip), dtype=object))
        pool = np.flatnonzero(mask)
        k = min(n, len(pool))
        chosen = (
            ppl.iloc[np.sort(self.rng.choice(pool, size=k, replace=False))] if k else ppl.iloc[0:0]
        )
        if k < n:
            log.debug("sample_people: %d short in %s, adding fresh people", n - k, region or "all")
            extra = self.new_people(n - k, region=region, min_age=min_age, max_age=max_age)
            chosen = pd.concat([chosen, extra], ignore_index=True)
        return chosen.reset_index(drop=True)

    def _region_mask(self, region: str) -> np.ndarray:
        key = len(self.people)
        if getattr(self, "_region_key", None) != key:
            codes = self.people.region.to_numpy().astype("<U6")
            self._region_codes = codes
            uniq, inv = np.unique(codes, return_inverse=True)
            self._region_ints = uniq.astype(np.int64)[inv]
            self._region_key = key
        return self._region_codes == region

    def kill(self, person_ids: np.ndarray, death_dates: np.ndarray) -> pd.DataFrame:
        """Record people as dead (rows of ``deaths``) and return those rows."""
        ppl = self.people.set_index("person_id")
        pid = np.asarray(person_ids, dtype=object)
        frame = pd.DataFrame(
            {
                "person_id": pid,
                "name": ppl.name.reindex(pid).to_numpy(),
                "death_date": np.asarray(death_dates).astype("datetime64[D]"),
            }
        )
        frame = frame[self.is_alive(frame.person_id.to_numpy())].drop_duplicates("person_id")
        self._dead.update(zip(frame.person_id, frame.death_date.to_numpy(), strict=True))
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
            return pd.DataFrame(columns=list(contracts.dataset("enterprises").column_names))
        regs = self._regions_for(n, region)
        places = np.array([names.short_place(self.county(r).name) for r in regs])
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
            legal_reps = self._people_in(regs, min_age=25, max_age=65)
        if status is None:
            st = self.rng.choice(ENTERPRISE_STATUS[:4], size=n, p=[0.72, 0.16, 0.04, 0.08])
        else:
            st = np.full(n, status, dtype=object) if isinstance(status, str) else np.asarray(status)
        frame = pd.DataFrame(
            {
                "org_id": self._unique_codes(regs),
                "name": org_names,
                "legal_rep_name": legal_reps.name.to_numpy(),
                "legal_rep_id": legal_reps.person_id.to_numpy(),
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

    def _distinct_names(self, org_names: np.ndarray) -> np.ndarray:
        taken = self._org_names()
        out = org_names.copy()
        seen: set[str] = set()
        for i, name in enumerate(out):
            k = 1
            candidate = name
            while candidate in taken or candidate in seen:
                k += 1
                candidate = (
                    name.replace("有限公司", f"第{k}有限公司")
                    if "有限公司" in name
                    else f"{name}{k}分厂"
                )
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
        ppl = self.people
        rows = np.empty(len(regs), dtype=np.int64)
        regs = np.asarray(regs).astype("<U6")
        key = (len(ppl), len(self._dead), min_age, max_age)
        cache = getattr(self, "_cand_cache", {})
        if key not in cache:
            age, living = self._masks()
            ok = (age >= min_age) & (age <= max_age) & living
            self._region_mask("")  # refresh the cache
            cand_ = np.flatnonzero(ok)
            cache = {k: v for k, v in cache.items() if k[:2] == key[:2]}
            cache[key] = (cand_, pd.Series(cand_).groupby(self._region_ints[cand_]).indices)
            self._cand_cache = cache
        cand, groups = cache[key]
        want_codes, want_uniq = pd.factorize(regs.astype(np.int64))
        fresh_parts = []
        for j, reg in enumerate(want_uniq):
            sel = np.flatnonzero(want_codes == j)
            pool = cand[groups[reg]] if reg in groups else np.array([], dtype=np.int64)
            if len(pool) == 0:
                fresh_parts.append((sel, reg))
                continue
            rows[sel] = self.rng.choice(pool, size=len(sel))
        out = ppl.iloc[rows].reset_index(drop=True)
        for sel, reg in fresh_parts:
            fresh = self.new_people(len(sel), region=str(reg), min_age=min_age, max_age=max_age)
            fresh = fresh[list(out.columns)]
            out.iloc[sel] = fresh.to_numpy()
        return out

    def _add_officers(self, orgs: pd.DataFrame) -> None:
        n = len(orgs)
        regs = orgs.region.to_numpy()
        parts = [
            pd.DataFrame(
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
                who = self._people_in(regs[sel], min_age=22, max_age=70)
                parts.append(
                    pd.DataFrame(
                        {
                            "org_id": orgs.org_id.to_numpy()[sel],
                            "person_id": who.person_id.to_numpy(),
                            "name": who.name.to_numpy(),
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
        rows = pd.DataFrame(
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
        rows = pd.DataFrame(
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
            self._truth.append(pd.DataFrame({"model": model, "rule": rule, "record": recs}))
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
