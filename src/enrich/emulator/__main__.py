"""`python -m enrich.emulator`: serve the emulated DBLP and S2 APIs until interrupted."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from enrich.emulator.server import FAULT_KINDS, Emulator, Faults
from enrich.emulator.services import CORPUS_FILE, Corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m enrich.emulator",
        description="Serve DBLP /search/publ/api and S2 /graph/v1/paper/{batch,search,"
        "search/match} from fixture records on 127.0.0.1, with optional faults.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--corpus", type=Path, default=CORPUS_FILE, help="records to serve")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    parser.add_argument("--fault-every", type=int, default=0, help="fail every Nth request")
    parser.add_argument("--fault-probability", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault probability")
    parser.add_argument(
        "--faults", default=",".join(FAULT_KINDS), help=f"kinds to inject, among {FAULT_KINDS}"
    )
    parser.add_argument("--retry-after", type=int, default=1, help="seconds sent with 429s")
    parser.add_argument(
        "--s2-retry-after", action="store_true", help="send Retry-After with S2 429s too"
    )
    parser.add_argument("--slow-seconds", type=float, default=2.0, help="delay of a slow answer")
    args = parser.parse_args(argv)
    faults = Faults(
        every=args.fault_every,
        probability=args.fault_probability,
        seed=args.seed,
        kinds=tuple(k for k in args.faults.split(",") if k),
        retry_after=args.retry_after,
        s2_retry_after=args.s2_retry_after,
        latency=args.latency,
        slow_seconds=args.slow_seconds,
    )
    emulator = Emulator(Corpus.load(args.corpus), faults, args.host, args.port)
    print(f"enrich emulator serving DBLP and S2 on {emulator.url}", flush=True)
    print(f"  ENRICH_DBLP_URL={emulator.url} ENRICH_S2_URL={emulator.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever()


if __name__ == "__main__":
    main()
