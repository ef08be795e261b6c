"""A long fuzzing session: the same properties as tests/test_fuzz.py, more and random examples.

    python scripts/fuzz.py --examples 20000

Prints the failing source, if any, and exits 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import mutated_fixture, random_python
from tests.test_fuzz import analyze_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args()
    config = settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    for strategy in (mutated_fixture(), random_python()):
        check = config(given(strategy)(analyze_text))
        try:
            check()
        except Exception as failure:  # report and stop: one failing input is what a developer needs
            print(f"FAILED: {type(failure).__name__}: {failure}", file=sys.stderr)
            return 1
    print(f"no failure in {2 * args.examples} examples")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
