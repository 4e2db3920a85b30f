"""How the HTTP layer is configured: one frozen value, read from the environment by `from_env`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from enrich import __version__
from enrich.errors import ConfigError

DEFAULT_CACHE_PATH = Path("data/cache/http.sqlite")

# DBLP's FAQ: 1-2 s between requests "should always be fine". S2 keys start at 1 request/s; the
# anonymous pool is shared and 429s often, so without a key S2 is asked at half that rate.
DEFAULT_RATES: Mapping[str, float] = MappingProxyType({"dblp": 1.0})
S2_RATE_WITH_KEY = 1.0
S2_RATE_ANONYMOUS = 0.5
OTHER_SERVICE_RATE = 1.0

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class HttpConfig:
    """Everything the HTTP layer needs to know; the CLI builds it with `from_env(**options)`."""

    cache_path: Path = DEFAULT_CACHE_PATH
    cache_backend: str | None = None  # "redis://host:port/db", "memory://"; None = SQLite file
    cache_days: int = 30
    refresh: bool = False
    offline: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    attempts: int = 5
    max_retry_after: float = 60.0
    rates: Mapping[str, float] = field(default_factory=lambda: DEFAULT_RATES)
    s2_api_key: str | None = field(default=None, repr=False)
    mailto: str | None = None
    breaker_threshold: int = 3  # consecutive connection failures that open a host's circuit
    backoff_initial: float = 1.0  # first retry wait, seconds; doubles each retry (plus jitter)
    backoff_max: float = 30.0
    connect_retry_pause: float = 0.25  # wait before retrying a connection that failed, seconds

    def __post_init__(self) -> None:
        checks = {
            "cache_days": self.cache_days >= 0,
            "connect_timeout": self.connect_timeout > 0,
            "read_timeout": self.read_timeout > 0,
            "attempts": self.attempts >= 1,
            "max_retry_after": self.max_retry_after >= 0,
            "breaker_threshold": self.breaker_threshold >= 1,
            "backoff_initial": self.backoff_initial >= 0,
            "backoff_max": self.backoff_max >= 0,
            "connect_retry_pause": self.connect_retry_pause >= 0,
        }
        for name, ok in checks.items():
            if not ok:
                raise ConfigError(f"{name} out of range: {getattr(self, name)!r}")
        for service, rate in self.rates.items():
            if not rate > 0:
                raise ConfigError(f"rate for {service} must be > 0 requests per second: {rate!r}")
        object.__setattr__(self, "cache_path", Path(self.cache_path))
        object.__setattr__(self, "rates", MappingProxyType(dict(self.rates)))

    def rate_for(self, service: str) -> float:
        """Requests per second allowed for `service` (S2 depends on whether a key is set)."""
        if service in self.rates:
            return self.rates[service]
        if service == "s2":
            return S2_RATE_WITH_KEY if self.s2_api_key else S2_RATE_ANONYMOUS
        return OTHER_SERVICE_RATE

    @property
    def user_agent(self) -> str:
        """Names enrich and its version, plus a contact address when one is configured."""
        contact = f" (+mailto:{self.mailto})" if self.mailto else ""
        return f"enrich/{__version__}{contact}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides: Any) -> HttpConfig:
        """Read the environment, then apply `overrides` (CLI options); None overrides are skipped.

        Raises ConfigError naming the variable when a value cannot be used.
        """
        values: dict[str, Any] = {}
        if environ.get("ENRICH_CACHE"):
            values["cache_path"] = Path(environ["ENRICH_CACHE"])
        if environ.get("ENRICH_CACHE_BACKEND"):
            values["cache_backend"] = environ["ENRICH_CACHE_BACKEND"]
        if environ.get("S2_API_KEY", "").strip():
            values["s2_api_key"] = environ["S2_API_KEY"].strip()
        if environ.get("ENRICH_MAILTO", "").strip():
            values["mailto"] = environ["ENRICH_MAILTO"].strip()
        for name, var in (
            ("cache_days", "ENRICH_CACHE_DAYS"),
            ("attempts", "ENRICH_HTTP_ATTEMPTS"),
        ):
            if var in environ:
                values[name] = _parse(environ, var, int)
        for name, var in (
            ("connect_timeout", "ENRICH_CONNECT_TIMEOUT"),
            ("read_timeout", "ENRICH_READ_TIMEOUT"),
        ):
            if var in environ:
                values[name] = _parse(environ, var, float)
        for name, var in (("offline", "ENRICH_OFFLINE"), ("refresh", "ENRICH_REFRESH")):
            if var in environ:
                values[name] = _parse_bool(environ, var)
        rates = dict(DEFAULT_RATES)
        for var in environ:
            if var.startswith("ENRICH_RATE_") and len(var) > len("ENRICH_RATE_"):
                rates[var.removeprefix("ENRICH_RATE_").lower()] = _parse(environ, var, float)
        values["rates"] = rates
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise TypeError(f"unknown HttpConfig option(s): {', '.join(sorted(unknown))}")
        return cls(**values)


def _parse(environ: Mapping[str, str], var: str, kind: type[int] | type[float]) -> Any:
    try:
        return kind(environ[var])
    except ValueError:
        raise ConfigError(f"{var}={environ[var]!r} is not a valid {kind.__name__}") from None


def _parse_bool(environ: Mapping[str, str], var: str) -> bool:
    value = environ[var].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{var}={environ[var]!r} is not a yes/no value")
