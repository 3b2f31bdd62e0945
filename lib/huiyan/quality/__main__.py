"""``python -m huiyan.quality [DATASET...]``: regenerate the expectation suites from the contract."""

from __future__ import annotations

import sys

from huiyan.quality.suites import write_suites


def main(argv: list[str]) -> int:
    """Write the suites and say where (the one place this package prints)."""
    for path in write_suites(argv or None):
        print(path)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
