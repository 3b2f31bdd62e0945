"""Phrasing families: independently written ways of putting the same synthetic facts into words.

The synthetic province decides every fact of a record (who, when, how much,
what happened) and records the truth; a *phrasing family* only chooses the
words of the free-text fields: the facts of an administrative penalty and the
fact-bearing sections of an insurance judgment. A workspace is made with one
family or a mix (``huiyan synth --phrasing NAME``), and the truth table means
the same whatever the family, so a text reader can be measured on wording it
was never developed on.

A family is a module ``huiyan.synth.phrasing.<name>`` with these functions
(facts in :mod:`huiyan.synth.phrasing.facts`; ``r`` is the record's own
``random.Random``, the only source of randomness a family may use)::

    mining(f: MiningFacts, r) -> PenaltyText
    shoddy(f: ShoddyFacts, r) -> PenaltyText
    drink(f: DrinkFacts, r) -> PenaltyText
    waste(f: WasteFacts, r) -> PenaltyText
    judgment_parties(f: JudgmentFacts, r) -> list[str]
    judgment_story(f: JudgmentFacts, r) -> str
    judgment_defence(f: JudgmentFacts, r) -> list[str]
    judgment_findings(f: JudgmentFacts, r) -> str

Families: ``house`` (the generator's own wording), ``realdoc`` (modelled on
the real documents), ``heldout`` (written apart from the readers, for
measurement only). Mixes: ``dev`` = house and realdoc, record by record (the
default; development never sees ``heldout``).

>>> sorted(FAMILIES), MIXES["dev"]
(['heldout', 'house', 'realdoc'], ('house', 'realdoc'))
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from huiyan.synth.base import SynthError

FAMILIES: dict[str, str] = {
    "house": "huiyan.synth.phrasing.house",
    "realdoc": "huiyan.synth.phrasing.realdoc",
    "heldout": "huiyan.synth.phrasing.heldout",
}
"""Family name -> module path."""

MIXES: dict[str, tuple[str, ...]] = {"dev": ("house", "realdoc")}
"""A mix picks one of its families for each record (by the record's own random stream)."""

DEFAULT = "dev"
FUNCTIONS = (
    "mining", "shoddy", "drink", "waste",
    "judgment_parties", "judgment_story", "judgment_defence", "judgment_findings",
)  # fmt: skip
"""What every family module defines."""


def names() -> tuple[str, ...]:
    """Every name ``--phrasing`` accepts: the families, then the mixes."""
    return (*FAMILIES, *MIXES)


def load(name: str) -> ModuleType:
    """The family module ``name``, checked to define every function of the interface."""
    if name not in FAMILIES:
        raise SynthError(
            f'未知的措辞族 "{name}"。可用 Available: {", ".join(names())}',
            f'Unknown phrasing family "{name}".',
        )
    try:
        module = importlib.import_module(FAMILIES[name])
    except ModuleNotFoundError as err:
        if err.name != FAMILIES[name]:
            raise
        raise SynthError(
            f'措辞族 "{name}" 尚未编写（{FAMILIES[name]}）。',
            f'Phrasing family "{name}" does not exist yet ({FAMILIES[name]}).',
        ) from err
    missing = [fn for fn in FUNCTIONS if not callable(getattr(module, fn, None))]
    if missing:
        raise SynthError(
            f'措辞族 "{name}" 缺少函数：{", ".join(missing)}。',
            f'Phrasing family "{name}" lacks: {", ".join(missing)}.',
        )
    return module


@dataclass(frozen=True)
class Phrasing:
    """A chosen family or mix: :meth:`pick` gives the family module for one record."""

    name: str
    modules: tuple[ModuleType, ...]

    def pick(self, r: random.Random) -> ModuleType:
        """The family for a record whose random stream is ``r`` (drawn first, always once)."""
        k = r.randrange(len(self.modules))
        return self.modules[k]

    def render(self, function: str, facts: Any, r: random.Random) -> Any:
        """``<family>.<function>(facts, r)`` for one record, the family picked from ``r``."""
        return getattr(self.pick(r), function)(facts, r)


def choose(name: str = DEFAULT) -> Phrasing:
    """The family or mix ``name`` (see :func:`names`)."""
    members = MIXES.get(name, (name,))
    return Phrasing(name, tuple(load(m) for m in members))


def record_random(seed: int, key: str) -> random.Random:
    """The random stream of one record: the same for every family, so data never depends on wording.

    >>> record_random(7, "a").random() == record_random(7, "a").random()
    True
    """
    import hashlib

    digest = hashlib.blake2b(f"{seed}|{key}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))
