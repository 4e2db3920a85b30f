"""HttpConfig: defaults, environment variables, overrides, User-Agent."""

from __future__ import annotations

from pathlib import Path

import pytest

from enrich import __version__
from enrich.errors import ConfigError
from enrich.http import HttpConfig


def test_defaults_match_the_issue() -> None:
    config = HttpConfig()
    assert config.cache_path == Path("data/cache/http.sqlite")
    assert (config.cache_backend, config.cache_days, config.refresh, config.offline) == (
        None,
        30,
        False,
        False,
    )
    assert config.rate_for("dblp") == 1.0
    assert config.rate_for("s2") == 0.5  # anonymous S2 is asked more cautiously
    assert HttpConfig(s2_api_key="fixture-key").rate_for("s2") == 1.0
    assert config.rate_for("crossref") == 1.0


def test_from_env_reads_every_variable() -> None:
    environ = {
        "ENRICH_CACHE": "/tmp/x/cache.sqlite",
        "ENRICH_CACHE_BACKEND": "redis://127.0.0.1:6379/0",
        "ENRICH_CACHE_DAYS": "7",
        "S2_API_KEY": " fixture-key ",
        "ENRICH_MAILTO": "ann@example.org",
        "ENRICH_OFFLINE": "yes",
        "ENRICH_REFRESH": "0",
        "ENRICH_HTTP_ATTEMPTS": "3",
        "ENRICH_CONNECT_TIMEOUT": "2.5",
        "ENRICH_READ_TIMEOUT": "9",
        "ENRICH_RATE_DBLP": "0.2",
        "ENRICH_RATE_S2": "3",
    }
    config = HttpConfig.from_env(environ)
    assert config.cache_path == Path("/tmp/x/cache.sqlite")
    assert config.cache_backend == "redis://127.0.0.1:6379/0"
    assert config.cache_days == 7
    assert config.s2_api_key == "fixture-key"
    assert config.mailto == "ann@example.org"
    assert (config.offline, config.refresh, config.attempts) == (True, False, 3)
    assert (config.connect_timeout, config.read_timeout) == (2.5, 9.0)
    assert (config.rate_for("dblp"), config.rate_for("s2")) == (0.2, 3.0)


def test_overrides_win_and_none_is_skipped() -> None:
    environ = {"ENRICH_CACHE": "/tmp/env.sqlite", "ENRICH_CACHE_DAYS": "7"}
    config = HttpConfig.from_env(environ, cache_path=Path("/tmp/cli.sqlite"), cache_days=None)
    assert config.cache_path == Path("/tmp/cli.sqlite")
    assert config.cache_days == 7
    with pytest.raises(TypeError, match="cache_size"):
        HttpConfig.from_env({}, cache_size=3)


def test_empty_key_means_no_key() -> None:
    assert HttpConfig.from_env({"S2_API_KEY": ""}).s2_api_key is None


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"ENRICH_CACHE_DAYS": "thirty"}, "ENRICH_CACHE_DAYS"),
        ({"ENRICH_OFFLINE": "maybe"}, "ENRICH_OFFLINE"),
        ({"ENRICH_RATE_DBLP": "fast"}, "ENRICH_RATE_DBLP"),
        ({"ENRICH_RATE_DBLP": "0"}, "dblp"),
        ({"ENRICH_HTTP_ATTEMPTS": "0"}, "attempts"),
        ({"ENRICH_CACHE_DAYS": "-1"}, "ENRICH_CACHE_DAYS"),
    ],
)
def test_bad_values_are_config_errors_naming_the_setting(environ: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        HttpConfig.from_env(environ)


@pytest.mark.parametrize(
    ("mailto", "agent"),
    [(None, f"enrich/{__version__}"), ("a@b.org", f"enrich/{__version__} (+mailto:a@b.org)")],
)
def test_user_agent(mailto: str | None, agent: str) -> None:
    assert HttpConfig(mailto=mailto).user_agent == agent


def test_key_not_in_repr() -> None:
    assert "fixture-secret" not in repr(HttpConfig(s2_api_key="fixture-secret"))
