"""Run every benchmark at quick sizes and print the tables (``make bench``).

A part that raises prints its traceback; the other parts still run and the exit status is
non-zero at the end.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import extract, febrl, incidents, narratives, pages, quality, throughput  # noqa: E402


def main() -> int:
    failed = False
    for title, part in (
        ("FEBRL person resolution (pairwise)", febrl),
        ("Generated scenarios: resolution and alert quality", quality),
        ("Throughput", throughput),
        ("Reading narratives: the held-out evaluation set", extract),
        ("A scenario delivered as narratives only, beside its structured version", narratives),
        ("Conflict incidents: UCDP GED Syria de-duplicated and graded", incidents),
        ("Web pages: render time at 100,000 reports", pages),
    ):
        try:
            rows, errors = part.run()
            print(f"\n## {title}\n", flush=True)
            print(part.table(rows), flush=True)
            if errors:
                failed = True
                print(f"\n{len(errors)} error(s) in {title}; tracebacks above.", flush=True)
        except Exception:
            traceback.print_exc()
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
