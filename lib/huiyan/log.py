"""Logging: the library never prints; a notebook switches logging on in one call."""

from __future__ import annotations

import logging


def enable(level: int | str = logging.INFO) -> None:
    """Show huiyan's log messages (in a notebook or a script).

    Example:
        >>> import huiyan as hy
        >>> hy.log.enable()
    """
    logger = logging.getLogger("huiyan")
    logger.setLevel(level)
    if not any(getattr(h, "_huiyan", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
        handler._huiyan = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
