"""Errors a prosecutor can act on.

Every error huiyan raises on purpose comes from here. Each carries a Chinese
sentence, an English sentence and, where there is one, what to do next. The
command line prints ``str(error)``; it never shows a traceback for these.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class HuiyanError(Exception):
    """Base class: a bilingual message with an optional hint.

    Args:
        zh: what happened, in Chinese, naming the file, row, column or rule.
        en: the same in English.
        hint: what to do next (bilingual), optional.
    """

    exit_code = 2

    def __init__(self, zh: str, en: str, hint: str | None = None) -> None:
        self.zh = zh
        self.en = en
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [self.zh, self.en]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message


class ContractError(HuiyanError, ValueError):
    """A dataset, column or value does not match the data contract."""


class IngestError(HuiyanError, ValueError):
    """An agency export cannot be loaded; nothing was loaded."""


class WorkspaceError(HuiyanError, FileNotFoundError):
    """The workspace, a dataset or a run folder is missing or unusable."""


class ValidationFailed(HuiyanError):
    """Data failed its quality expectations; ``report`` holds the findings."""

    exit_code = 1

    def __init__(self, zh: str, en: str, hint: str | None = None, report: object = None) -> None:
        super().__init__(zh, en, hint)
        self.report = report


class ParameterError(HuiyanError, ValueError):
    """A model parameter is unknown or of the wrong type."""


class ModelError(HuiyanError, LookupError):
    """A model is unknown, malformed or not allowed to run."""


class RunFailed(HuiyanError):
    """A model run failed; its folder holds a manifest with status failed."""

    exit_code = 1


class BundleError(HuiyanError):
    """A shared model bundle is refused (unsigned, tampered, untrusted)."""


class LedgerError(HuiyanError, ValueError):
    """A clue review outcome cannot be recorded."""


def nearest(name: str, choices: Iterable[str]) -> str | None:
    """Return the closest valid name to ``name``, or None when nothing is close.

    >>> nearest("judgement", ["judgments", "vehicles"])
    'judgments'
    >>> nearest("zzz", ["judgments"]) is None
    True
    """
    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A bilingual "did you mean" suffix, or an empty string.

    >>> did_you_mean("vehicle", ["vehicles"])
    '您是否想输入 "vehicles"？ Did you mean "vehicles"?'
    """
    best = nearest(name, choices)
    return f'您是否想输入 "{best}"？ Did you mean "{best}"?' if best else ""
