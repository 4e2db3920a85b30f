"""How the HTTP layer is configured: one frozen value, read from the environment by `from_env`."""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from enrich import __version__
from enrich.errors import ConfigError
from enrich.urls import shown_url

DEFAULT_CACHE_PATH = Path("data/cache/http.sqlite")

# DBLP's FAQ: 1-2 s between requests "should always be fine". S2 keys start at 1 request/s; the
# anonymous pool is shared and 429s often, so without a key S2 is asked at half that rate.
DEFAULT_RATES: Mapping[str, float] = MappingProxyType({"dblp": 1.0})
S2_RATE_WITH_KEY = 1.0
S2_RATE_ANONYMOUS = 0.5
OTHER_SERVICE_RATE = 1.0

MAX_ANSWER_MB = 8
"""The default cap on one answer's decoded size: S2's largest batch answer is about 2 MB."""

_TOKEN = re.compile(r"[!-~]+")
"""Printable ASCII without spaces: what may go into a header (the S2 key, the contact address)."""

_SETTINGS: Mapping[str, str] = MappingProxyType(
    {
        "cache_days": "--cache-days / ENRICH_CACHE_DAYS",
        "connect_timeout": "ENRICH_CONNECT_TIMEOUT",
        "read_timeout": "ENRICH_READ_TIMEOUT",
        "deadline": "ENRICH_DEADLINE",
        "max_answer_bytes": "ENRICH_MAX_ANSWER_MB",
        "attempts": "ENRICH_HTTP_ATTEMPTS",
    }
)
"""Where a user sets each option: what a message about a bad value names."""

_RANGES: Mapping[str, tuple[float, float, str]] = MappingProxyType(
    {
        "cache_days": (0, 3650, "days"),
        "connect_timeout": (0.01, 300, "seconds"),
        "read_timeout": (0.01, 600, "seconds"),
        "deadline": (0.01, 3600, "seconds"),
        "max_answer_bytes": (1024, 2**30, "MB"),
        "attempts": (1, 20, "attempts"),
        "max_retry_after": (0, 3600, "seconds"),
        "breaker_threshold": (1, 100, "failures"),
        "backoff_initial": (0, 600, "seconds"),
        "backoff_max": (0, 3600, "seconds"),
        "connect_retry_pause": (0, 60, "seconds"),
    }
)
_MAX_RATE = 1_000_000.0  # no service allows this; benchmarks ask the emulator at 100,000

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
    read_timeout: float = 20.0  # per socket read
    deadline: float = 30.0  # per request: connecting, every read and decompression together
    max_answer_bytes: int = MAX_ANSWER_MB * 2**20  # decoded; one byte more is a service error
    attempts: int = 5
    max_retry_after: float = 60.0
    rates: Mapping[str, float] = field(default_factory=lambda: DEFAULT_RATES)
    s2_api_key: str | None = field(default=None, repr=False)
    mailto: str | None = None
    breaker_threshold: int = 3  # failures to connect or answer in a row that open a circuit
    backoff_initial: float = 1.0  # first retry wait, seconds; doubles each retry (plus jitter)
    backoff_max: float = 30.0
    connect_retry_pause: float = 0.25  # wait before retrying a connection that failed, seconds

    def __post_init__(self) -> None:
        """Refuse any value out of its range, as one line naming where it is set."""
        for name, (low, high, unit) in _RANGES.items():
            value = getattr(self, name)
            if isinstance(value, int | float) and math.isfinite(value) and low <= value <= high:
                continue
            where = _SETTINGS.get(name, name)
            if not isinstance(value, int | float):
                raise ConfigError(f"{where}={value!r} is not a number")
            scale = 2**20 if unit == "MB" else 1  # the cap is kept in bytes, set in MB
            raise ConfigError(
                f"{where}={value / scale:g} is out of range: {low / scale:g} to {high / scale:g} "
                f"{unit}"
            )
        for service, rate in self.rates.items():
            if not (math.isfinite(rate) and 0 < rate <= _MAX_RATE):
                raise ConfigError(
                    f"ENRICH_RATE_{service.upper()}={rate!r} (the rate for {service}) is out of "
                    f"range: more than 0 and at most {_MAX_RATE:g} requests per second"
                )
        if self.s2_api_key is not None and not _TOKEN.fullmatch(self.s2_api_key):
            raise ConfigError(
                "S2_API_KEY is not a key: it must be printable ASCII without spaces or line breaks"
            )
        if self.cache_backend is not None:
            backend_kind(self.cache_backend.strip())
        if self.mailto is not None and not _TOKEN.fullmatch(self.mailto):
            raise ConfigError(
                f"ENRICH_MAILTO={self.mailto!r} must be printable ASCII without spaces"
            )
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
            ("deadline", "ENRICH_DEADLINE"),
        ):
            if var in environ:
                values[name] = _parse(environ, var, float)
        if "ENRICH_MAX_ANSWER_MB" in environ:
            megabytes = _parse(environ, "ENRICH_MAX_ANSWER_MB", float)
            values["max_answer_bytes"] = round(megabytes * 2**20) if math.isfinite(megabytes) else 0
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
        value = kind(environ[var])
    except ValueError:
        raise ConfigError(f"{var}={environ[var]!r} is not a valid {kind.__name__}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{var}={environ[var]!r} is not a finite number")
    return value


def check_base_url(url: str, setting: str) -> str:
    """A service's base URL as given, when it is http(s) with a host; else a ConfigError
    naming `setting` (the flag or variable) and the URL without its password."""
    problem = _base_url_problem(url)
    if problem is not None:
        raise ConfigError(f"{setting}={shown_url(url)!r} {problem}")
    return url


def _base_url_problem(url: str) -> str | None:
    if _TOKEN.fullmatch(url) is None:
        return "is not a URL (spaces or characters outside printable ASCII)"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return "must start with http:// or https://"
    if not host:
        return "names no host"
    if parts.query or parts.fragment:
        return "must not carry a query or fragment"
    return None


def _parse_bool(environ: Mapping[str, str], var: str) -> bool:
    value = environ[var].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{var}={environ[var]!r} is not a yes/no value")


def backend_kind(spec: str) -> str:
    """ "sqlite", "redis", "rediss", "unix" or "memory": which store `spec` names; a
    ConfigError for any other, so a bad setting fails before the input is read."""
    try:
        scheme = urlsplit(spec).scheme.lower() if "://" in spec else spec.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("sqlite", "redis", "rediss", "unix", "memory"):
        raise ConfigError(
            f"ENRICH_CACHE_BACKEND / --cache-backend {shown_url(spec)!r} is not a cache: "
            "use a SQLite path, redis://host:port or memory://"
        )
    return scheme
