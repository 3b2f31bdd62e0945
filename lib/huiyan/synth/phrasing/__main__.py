"""``python -m huiyan.synth.phrasing NAME [--seed N] [--check]``: show or check a phrasing family."""

from __future__ import annotations

import argparse
import sys

from huiyan.synth.phrasing import FAMILIES, load
from huiyan.synth.phrasing.samples import check, show


def main(argv: list[str] | None = None) -> int:
    """Print what a family writes for the sample facts, or (--check) its structural problems."""
    parser = argparse.ArgumentParser(prog="python -m huiyan.synth.phrasing", description=__doc__)
    parser.add_argument("name", choices=sorted(FAMILIES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--check", action="store_true", help="list structural problems; exit 1 if any"
    )
    args = parser.parse_args(argv)
    module = load(args.name)
    if args.check:
        problems = check(module)
        sys.stdout.write("\n".join(problems) + ("\n" if problems else "no problems\n"))
        return 1 if problems else 0
    sys.stdout.write(show(module, seed=args.seed) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
