"""Check the tree and print every violation with how to fix it; exit 1 when there is any."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .rules import check


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.archcheck", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    violations = check(parser.parse_args().root)
    for violation in violations:
        print(violation)
    if violations:
        counts = ", ".join(f"{rule}: {n}" for rule, n in sorted(Counter(v.rule for v in violations).items()))
        print(f"\n{len(violations)} violations of the house rules ({counts}); see docs/contributing.md.")
        return 1
    print("house rules hold: no import cycles, queries only in repositories, commits only in the unit of work, "
          "typed facades that take the context first and hand out no rows, cross-domain imports through facades")
    return 0


if __name__ == "__main__":
    sys.exit(main())
