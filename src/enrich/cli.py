"""Command line: parses arguments, calls the pipeline, prints. Nothing else."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `enrich` script and `python -m enrich`."""
    raise NotImplementedError
