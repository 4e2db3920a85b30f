"""`make demo`: the whole pipeline against the local emulator, into a temporary folder.

For someone without network (or without wanting to touch the real services): it starts
the emulator with a few faults injected, runs `enrich run` on the shipped list against
it, and says where every output went. The emulator knows the first 50 papers of the
list (real facts from tests/fixtures), so the others end unmatched: that is expected.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from enrich import cli
from enrich.emulator.server import Emulator, Faults
from enrich.errors import ExitCode
from enrich.pipeline import DEFAULT_INPUT

# The emulator is local: politeness limits would only make the demo slow.
DEMO_RATES = {"ENRICH_RATE_DBLP": "50", "ENRICH_RATE_S2": "50"}


def main(argv: list[str] | None = None) -> int:
    inputs = argv or [str(DEFAULT_INPUT)]
    folder = Path(tempfile.mkdtemp(prefix="enrich-demo-"))
    out = folder / "enriched"
    os.environ.update(DEMO_RATES)
    faults = Faults(every=7, kinds=("429", "503"), retry_after=1)
    with Emulator(faults=faults) as emulator:
        print(f"emulated DBLP and Semantic Scholar on {emulator.url} (every 7th request fails)")
        code = cli.main(
            [
                "run",
                *inputs,
                "--out", str(out),
                "--cache", str(folder / "http.sqlite"),
                "--overrides", str(folder / "overrides.csv"),
                "--dblp-url", emulator.url,
                "--s2-url", emulator.url,
            ]
        )  # fmt: skip
    print(f"\nthe demo's outputs are in {out}:")
    for path in sorted(out.iterdir()) if out.exists() else []:
        print(f"  {path}")
    if code == ExitCode.INCOMPLETE:
        print("exit code 1: papers the emulator does not know stay unmatched, as expected")
    return 0 if code in (ExitCode.OK, ExitCode.INCOMPLETE) else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
