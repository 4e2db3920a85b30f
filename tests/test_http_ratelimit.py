"""Rate limiter spacing, slow-down after 429 and recovery, on an injected clock (no real sleeps)."""

from __future__ import annotations

import threading
from itertools import pairwise

import pytest

from enrich.http.ratelimit import RateLimiter, RateLimiters
from http_testkit import FakeClock


def starts(limiter: RateLimiter, clock: FakeClock, count: int) -> list[float]:
    """Times at which `count` consecutive requests may start."""
    times = []
    for _ in range(count):
        limiter.acquire()
        times.append(clock.now)
    return times


def gaps(times: list[float]) -> list[float]:
    return [round(b - a, 6) for a, b in pairwise(times)]


@pytest.mark.parametrize(("rate", "interval"), [(1.0, 1.0), (0.5, 2.0), (4.0, 0.25)])
def test_spacing_follows_the_rate(rate: float, interval: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    assert gaps(starts(limiter, clock, 4)) == [interval] * 3


def test_first_request_and_idle_service_do_not_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    assert limiter.acquire() == 0.0
    clock.now += 10  # idle longer than the interval
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(1.0)


def test_slows_down_after_429_and_recovers_gradually() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep, slowdown=2.0, recovery=0.8)
    limiter.acquire()
    limiter.throttled()
    assert limiter.interval == pytest.approx(2.0)
    limiter.acquire()
    limiter.throttled()
    assert limiter.interval == pytest.approx(4.0)
    observed = []
    for _ in range(8):
        before = clock.now
        limiter.acquire()
        observed.append(round(clock.now - before, 4))
        limiter.succeeded()
    # each success shrinks the spacing by 20% until it is back at 1 s, never below
    assert observed[0] == pytest.approx(4.0)
    assert observed[1] == pytest.approx(3.2)
    assert all(a >= b for a, b in pairwise(observed))
    assert observed[-1] == pytest.approx(1.0)
    assert limiter.interval == pytest.approx(1.0)


def test_slowdown_is_capped() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep, max_slowdown=8.0)
    for _ in range(10):
        limiter.throttled()
    assert limiter.interval == pytest.approx(8.0)


def test_retry_after_holds_every_request() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.throttled(retry_after=30.0)
    assert limiter.acquire() == pytest.approx(30.0)


def test_threads_share_one_spacing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=lambda s: None)  # only reserve slots
    slots: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            waited = limiter.acquire()
            with lock:
                slots.append(clock.now + waited)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(slots) == pytest.approx([clock.now + 0.5 * i for i in range(100)])


def test_one_limiter_per_service() -> None:
    clock = FakeClock()
    limiters = RateLimiters({"dblp": 1.0, "s2": 0.5}.__getitem__, clock=clock, sleep=clock.sleep)
    assert limiters.get("dblp") is limiters.get("dblp")
    assert limiters.get("dblp") is not limiters.get("s2")
    assert limiters.get("s2").interval == pytest.approx(2.0)
    limiters.get("dblp").acquire()
    assert limiters.get("s2").acquire() == 0.0  # services do not wait for each other


def test_rejects_non_positive_rate() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
