"""How many rows each dataset of a synthetic workspace gets: tiny, county or province.

province = the volumes in models.md; county = province / 60 (one county of
realistic size); tiny = a few hundred rows per dataset, for tests.

Example:
    >>> get("county").count("judgments")
    10000
"""

from __future__ import annotations

from dataclasses import dataclass, field

from huiyan.errors import HuiyanError, did_you_mean

PROVINCE: dict[str, int] = {
    "judgments": 600_000,
    "admin_penalties": 1_030_000,
    "judicial_auctions": 340_000,
    "insurance_claims": 600_000,
    "vehicles": 600_000,
    "social_security": 1_500_000,
    "households": 1_500_000,
    "enterprises": 200_000,
    "enterprise_people": 500_000,
    "criminal_cases": 150_000,
    "bankruptcy_claims": 100_000,
    "forest_subsidies": 500_000,
    "forest_rights": 150_000,
    "deaths": 200_000,
    "village_officials": 30_000,
}
"""Province-scale volumes (models.md)."""

TINY: dict[str, int] = {
    "judgments": 400,
    "admin_penalties": 400,
    "judicial_auctions": 300,
    "insurance_claims": 400,
    "vehicles": 400,
    "social_security": 600,
    "households": 800,
    "enterprises": 200,
    "enterprise_people": 400,
    "criminal_cases": 150,
    "bankruptcy_claims": 200,
    "forest_subsidies": 300,
    "forest_rights": 150,
    "deaths": 80,
    "village_officials": 40,
}
"""Tiny volumes: a few hundred rows per dataset, fewer for the small ones."""

NAMES = ("tiny", "county", "province")


@dataclass(frozen=True)
class Scale:
    """A named scale and the target row count of every dataset."""

    name: str
    counts: dict[str, int] = field(repr=False)

    def count(self, dataset: str) -> int:
        """The target number of rows of ``dataset`` (0 for a dataset not listed)."""
        return self.counts.get(dataset, 0)


def get(name: str) -> Scale:
    """The scale called ``name`` (tiny, county or province)."""
    if name == "province":
        return Scale(name, dict(PROVINCE))
    if name == "county":
        return Scale(name, {k: round(v / 60) for k, v in PROVINCE.items()})
    if name == "tiny":
        return Scale(name, dict(TINY))
    raise SynthScaleError(
        f'没有名为 "{name}" 的规模。{did_you_mean(name, NAMES)}',
        f'There is no scale called "{name}".',
        "可用规模 Scales: tiny, county, province",
    )


class SynthScaleError(HuiyanError, ValueError):
    """An unknown synthetic scale was asked for."""
