"""Text matching and entity linking in pandas, as :mod:`huiyan.linking` defines them.

Regular expressions run on pyarrow's RE2 (text columns as ``ArrowDtype``), the
engine DuckDB uses, so ``\\d`` and ``\\s`` are ASCII on both sides. A mention
links to the id found by the strongest way (see the table in
:mod:`huiyan.linking`); two ids at the top strength link it nowhere.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
from huiyan import linking as lk
from huiyan.workspace import Workspace

TRIMMED = " \t\n\r\x0b\x0c"
"""What SQL ``TRIM`` (ibis ``strip``) removes."""
ARROW = pd.ArrowDtype(pa.large_string())
"""Text for regular expressions: pandas runs them on pyarrow's RE2."""
_ID_RE = re.compile(lk.RESIDENT_ID_TEXT_RE, re.ASCII)


def read(ws: Workspace, name: str, columns: list[str]) -> pd.DataFrame:
    """A whole table of the workspace, only ``columns``."""
    return ws.con.table(name).select(*columns).to_pandas()


def _named_group(pattern: str) -> str:
    """``pattern`` with its one group named (pyarrow's ``extract_regex`` needs a name)."""
    at = re.search(r"(?<!\\)\((?!\?)", pattern)
    assert at is not None and re.compile(pattern).groups == 1, pattern
    return pattern[: at.start()] + "(?P<g>" + pattern[at.end() :]


def extract(col: pd.Series, pattern: str) -> pd.Series:
    """The first group of the first match, NaN where none."""
    found = col.astype(ARROW).str.extract(_named_group(pattern), expand=False)
    return found.astype("str")


def has(col: pd.Series, pattern: str) -> pd.Series:
    """True where ``pattern`` occurs (False for missing text)."""
    if re.compile(pattern).groups:
        return extract(col, pattern).notna()
    return col.astype(ARROW).str.contains(pattern, regex=True).fillna(False).astype(bool)


def among(col: pd.Series, values: pd.Series) -> pd.Series:
    """``col.isin(values)`` for text (pandas 3's ``str`` isin converts every value in Python)."""
    return col.astype(ARROW).isin(values.astype(ARROW))


def equals(col: pd.Series, value: object) -> pd.Series:
    """``col == value`` with missing as False."""
    return col.eq(value).fillna(False).astype(bool)


def nonblank(col: pd.Series) -> pd.Series:
    """Trimmed text, NaN for missing or blank."""
    out = col.astype("str").str.strip(TRIMMED)
    return out.mask(out == "")


def core_name(names: pd.Series) -> pd.Series:
    """:func:`huiyan.linking.core_name` of a column, computed once per distinct name."""
    u = pd.Series(names.dropna().unique(), dtype="str")
    x = u.astype(ARROW).str.replace(r"\s+", "", regex=True)
    x = x.str.replace(r"[（(][^）)]*[）)]", "", regex=True)
    x = extract(extract(x, lk._suffix_re()), lk._prefix_re())
    return names.map(pd.Series(x.mask(x == "").array, index=u.array))


def masked(names: pd.Series) -> pd.Series:
    """True for a pseudonymised name (张某)."""
    return has(names, lk.MASK_RE)


def id_after(text: str | None, name: str | None) -> str | None:
    """:func:`huiyan.linking.resident_id_after` for one party."""
    if not isinstance(text, str) or not isinstance(name, str):
        return None
    at = text.find(name + "，")
    if at < 0:
        at = text.find(name)
    if at < 0:
        return None
    line = re.match(r"[^。\n]*", text[at : at + 160])
    m = _ID_RE.search(line.group(0)) if line else None
    return m.group(1).upper() if m and m.group(1) else None


def best(cands: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per mention, the id at the strongest link; mentions with two ids at the top are dropped."""
    c = cands.assign(confidence=cands["link"].map(lk.CONFIDENCE).astype("float64"))
    c = c[c["confidence"] == c.groupby("mention_id")["confidence"].transform("max")]
    g = c.groupby("mention_id").agg(
        _n=(key, "nunique"), **{key: (key, "min")}, link=("link", "min")
    )
    return g[g["_n"] == 1].drop(columns="_n").reset_index()


def orgs(enterprises: pd.DataFrame, words: str | None = None) -> pd.DataFrame:
    """Companies to link to (``org_id, org_name, org_region, core``), those named with ``words``."""
    e = enterprises if words is None else enterprises[has(enterprises["name"], words)]
    return e.rename(columns={"name": "org_name", "region": "org_region"})


def link_orgs(m: pd.DataFrame, companies: pd.DataFrame) -> pd.DataFrame:
    """``mention_id, org_id, link`` for mentions (mention_id, name, region) that link to one org."""
    m = m[["mention_id", "name", "region"]].assign(core=lambda t: core_name(t["name"]))
    named = m.dropna(subset=["name"]).merge(companies, left_on="name", right_on="org_name")
    cored = companies.dropna(subset=["core"])
    with_core = m.dropna(subset=["core"])
    county = with_core.dropna(subset=["region"]).merge(
        cored, left_on=["core", "region"], right_on=["core", "org_region"]
    )
    n_orgs = cored.groupby("core")["org_id"].nunique()
    unique = cored[cored["core"].map(n_orgs) == 1]
    anywhere = with_core.merge(unique, on="core")
    cands = pd.concat(
        [
            named[["mention_id", "org_id"]].assign(link=lk.LINK_ORG_NAME),
            county[["mention_id", "org_id"]].assign(link=lk.LINK_ORG_CORE),
            anywhere[["mention_id", "org_id"]].assign(link=lk.LINK_ORG_CORE_ANY),
        ]
    )
    return best(cands, "org_id")


def link_people(
    m: pd.DataFrame,
    *,
    plates: pd.DataFrame,
    shops: pd.DataFrame,
    register: pd.DataFrame,
    owners: pd.DataFrame,
    staff: pd.DataFrame,
) -> pd.DataFrame:
    """``mention_id, person_id, link`` for mentions (mention_id, name, region, id_hint).

    Args:
        m: the mentions.
        plates: ``mention_id, plate``; owners: ``plate, person_id, name_o``.
        shops: ``mention_id, org_id``; staff: ``org_id, person_id, name``.
        register: ``region, name, person_id``: the names unique in their county.
    """
    hint = m["id_hint"].astype("str").str.strip(TRIMMED).str.upper()
    by_id = has(hint, r"^\d{17}[\dX]$")
    parts = [
        pd.DataFrame(
            {"mention_id": m["mention_id"][by_id], "person_id": hint[by_id], "link": lk.LINK_ID}
        )
    ]
    named = m[m["name"].notna()].assign(masked=lambda t: masked(t["name"]))
    j = named.merge(plates, on="mention_id").merge(owners, on="plate")
    full = ~j["masked"] & (j["name"] == j["name_o"])
    sur = j["masked"] & (j["name"].str[:1] == j["name_o"].str[:1]).fillna(False)
    parts.append(j.loc[full, ["mention_id", "person_id"]].assign(link=lk.LINK_PLATE))
    parts.append(j.loc[sur, ["mention_id", "person_id"]].assign(link=lk.LINK_SURNAME_PLATE))
    plain = named[~named["masked"]]
    at_shop = plain.merge(shops, on="mention_id").merge(staff, on=["org_id", "name"])
    parts.append(at_shop[["mention_id", "person_id"]].assign(link=lk.LINK_SHOP))
    in_county = plain.merge(register, on=["region", "name"])
    parts.append(in_county[["mention_id", "person_id"]].assign(link=lk.LINK_COUNTY))
    return best(pd.concat(parts), "person_id")
