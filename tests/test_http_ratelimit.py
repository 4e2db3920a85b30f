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
    limiter.acquire()
    clock.now += 10  # idle longer than the interval
    limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(1.0)]


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
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(30.0)]


def test_threads_share_one_spacing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    slots: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            slot = limiter.acquire()
            with lock:
                slots.append(slot)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(slots) == 100
    assert min(gaps(sorted(slots))) >= 0.5


def test_one_limiter_per_service() -> None:
    clock = FakeClock()
    limiters = RateLimiters({"dblp": 1.0, "s2": 0.5}.__getitem__, clock=clock, sleep=clock.sleep)
    assert limiters.get("dblp") is limiters.get("dblp")
    assert limiters.get("dblp") is not limiters.get("s2")
    assert limiters.get("s2").interval == pytest.approx(2.0)
    limiters.get("dblp").acquire()
    limiters.get("s2").acquire()
    assert clock.sleeps == []  # services do not wait for each other


def test_refunded_slot_is_not_spaced_after() -> None:
    """A request that never reached the service (connection refused) does not delay the next."""
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 5
    limiter.refund(limiter.acquire())
    limiter.acquire()
    assert clock.sleeps == []
    older = limiter.acquire()
    limiter.acquire()  # a later slot was taken: the older one cannot be given back
    limiter.refund(older)
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(1.0)] * 3


def test_refund_keeps_the_spacing_after_requests_that_went_through() -> None:
    """Giving back a refused attempt's slot never lets the next requests come closer together
    than the rate allows after the last request that did reach the service."""
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    answered = limiter.acquire()
    limiter.refund(limiter.acquire())  # waited 1 s for it, then the connection was refused
    following = [limiter.acquire() for _ in range(3)]
    assert gaps([answered, *following]) == [1.0, 1.0, 1.0]
    assert clock.sleeps == [pytest.approx(1.0)] * 3  # the refused slot's second was not lost


class WatchedClock(FakeClock):
    """A frozen fake clock that signals when a thread other than the test's has read it."""

    def __init__(self) -> None:
        super().__init__()
        self.read_by_worker = threading.Event()
        self._main = threading.get_ident()

    def __call__(self) -> float:
        if threading.get_ident() != self._main:
            self.read_by_worker.set()
        return super().__call__()


def test_refund_wakes_a_thread_waiting_for_its_slot() -> None:
    """Without an injected sleep, waiting threads wait on a condition that a refund signals.

    The clock is frozen and the next slot is due in an hour: only the refund can release
    the waiting thread. (The thread reads the clock under the limiter's lock, and the refund
    needs that lock, so the refund comes after the thread has started to wait.)
    """
    clock = WatchedClock()
    limiter = RateLimiter(1 / 3600, clock=clock)
    refused = limiter.acquire()
    taken: list[float] = []
    waiter = threading.Thread(target=lambda: taken.append(limiter.acquire()), daemon=True)
    waiter.start()
    assert clock.read_by_worker.wait(timeout=30)
    limiter.refund(refused)
    waiter.join(timeout=30)
    assert not waiter.is_alive()
    assert taken == [clock.now]  # it went at once: the refused request left no spacing


def test_rejects_non_positive_rate() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
