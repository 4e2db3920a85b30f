"""Which DBLP a run asks: the API, the local index, or the index when it is fresh enough.

`--dblp local|api|auto` (else `ENRICH_DBLP`, else auto); the index at `--dblp-index` (else
`ENRICH_DBLP_INDEX`, else dblp-index.sqlite beside the HTTP cache); auto uses it when it
is there, complete and its dump not older than `--index-max-age-days` (else
`ENRICH_INDEX_MAX_AGE_DAYS`, else 60), the API otherwise.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from enrich.errors import ConfigError
from enrich.sources.dblp.local.build import IndexInfo, IndexUnusable, read_info

DblpMode = Literal["auto", "local", "api"]
DBLP_MODES: tuple[DblpMode, ...] = ("auto", "local", "api")
INDEX_NAME = "dblp-index.sqlite"
DEFAULT_MAX_AGE_DAYS = 60
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DblpChoice:
    """How a run picks its DBLP; `index` None means beside the HTTP cache."""

    mode: DblpMode = "auto"
    index: Path | None = None
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    def index_path(self, cache_path: Path) -> Path:
        return self.index if self.index is not None else Path(cache_path).with_name(INDEX_NAME)


def dblp_choice(
    mode: str | None = None,
    index: Path | None = None,
    max_age_days: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> DblpChoice:
    """The choice from the options given, else the environment; ConfigError (exit 2) on a
    value it cannot use, naming the flag or the variable."""
    env = os.environ if environ is None else environ
    if mode is None:
        value = env.get("ENRICH_DBLP", "").strip().lower() or "auto"
        if value not in DBLP_MODES:
            raise ConfigError(f"ENRICH_DBLP={value!r} is not one of: {', '.join(DBLP_MODES)}")
        mode = value
    elif mode not in DBLP_MODES:
        raise ConfigError(f"--dblp {mode!r} is not one of: {', '.join(DBLP_MODES)}")
    index = given_index(index, env)
    if max_age_days is None:
        text = env.get("ENRICH_INDEX_MAX_AGE_DAYS", "").strip()
        try:
            max_age_days = int(text) if text else DEFAULT_MAX_AGE_DAYS
        except ValueError:
            max_age_days = -1
        if max_age_days < 0:
            raise ConfigError(f"ENRICH_INDEX_MAX_AGE_DAYS={text!r} is not a number of days")
    elif max_age_days < 0:
        raise ConfigError(f"--index-max-age-days {max_age_days} is not a number of days")
    return DblpChoice(mode, index, max_age_days)  # type: ignore[arg-type]


def given_index(index: Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """`--dblp-index`, else `ENRICH_DBLP_INDEX`; None means beside the HTTP cache."""
    env = os.environ if environ is None else environ
    if index is None and env.get("ENRICH_DBLP_INDEX", "").strip():
        return Path(env["ENRICH_DBLP_INDEX"].strip())
    return index


def index_to_use(choice: DblpChoice, cache_path: Path) -> IndexInfo | None:
    """The index a run answers DBLP from; None for the API.

    local without a usable index is a ConfigError, before any request; auto quietly asks
    the API when the index is missing, incomplete or older than the limit.
    """
    if choice.mode == "api":
        return None
    path = choice.index_path(cache_path)
    try:
        info = read_info(path)
    except IndexUnusable as error:
        if choice.mode == "local":
            raise ConfigError(f"--dblp local: {error}") from error
        return None
    if choice.mode == "auto" and info.age_days() > choice.max_age_days:
        _log.info(
            "the local DBLP index %s is %.0f days old (more than %d): asking DBLP's API; "
            "refresh it with `enrich index build`",
            path, info.age_days(), choice.max_age_days,
        )  # fmt: skip
        return None
    return info
