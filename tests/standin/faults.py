"""Injected failures and latency: rate limits (429 + Retry-After), server errors, Slack API errors, and
replies held back after Slack has done what was asked (the window in which a crash loses the answer)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

SERVER_ERRORS = {500: "internal_error", 502: "bad_gateway", 503: "service_unavailable", 504: "timeout"}


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class _Rule:
    method: str | None
    status: int
    retry_after: int
    error: str | None
    remaining: int | None = None
    every: int | None = None
    seen: int = 0

    def applies(self, method: str) -> bool:
        return self.method is None or self.method == method

    def fault(self) -> Fault:
        if self.status == 429:
            body: dict[str, Any] = {"ok": False, "error": self.error or "ratelimited"}
            return Fault(429, body, {"Retry-After": str(self.retry_after)})
        error = self.error or SERVER_ERRORS.get(self.status, f"http_{self.status}")
        return Fault(self.status, {"ok": False, "error": error}, {})


class Faults:
    """Rules are checked in the order they were added; the first one that fires answers the call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._latency: dict[str | None, float] = {}
        self._hold: tuple[str, int] | None = None  # (method, calls answered before holding starts)
        self._released = threading.Event()
        self._held = 0

    def fail(self, method: str, status: int, retry_after: int, times: int, error: str | None) -> None:
        with self._lock:
            self._rules.append(_Rule(method, status, retry_after, error, remaining=times))

    def rate_limit_every(self, n: int, method: str | None, retry_after: int) -> None:
        with self._lock:
            self._rules = [r for r in self._rules if r.every is None or r.method != method]
            if n > 0:
                self._rules.append(_Rule(method, 429, retry_after, None, every=n))

    def latency(self, seconds: float, method: str | None) -> None:
        with self._lock:
            if seconds > 0:
                self._latency[method] = seconds
            else:
                self._latency.pop(method, None)

    def hold(self, method: str, after: int) -> None:
        """Carry out calls to `method` but keep their replies back, from the call after the first `after`,
        until `release()`: the caller has been served by Slack and never hears of it if it dies meanwhile."""
        with self._lock:
            self._hold, self._released = (method, after), threading.Event()

    def release(self) -> None:
        with self._lock:
            self._hold = None
            self._released.set()

    def held(self) -> int:
        """How many replies are being kept back right now."""
        with self._lock:
            return self._held

    def hold_reply(self, method: str) -> None:
        """Called by the server once a call was carried out, before it answers."""
        with self._lock:
            if self._hold is None or self._hold[0] != method:
                return
            if self._hold[1] > 0:
                self._hold = (method, self._hold[1] - 1)
                return
            released = self._released
            self._held += 1
        released.wait()
        with self._lock:
            self._held -= 1

    def clear(self) -> None:
        self.release()
        with self._lock:
            self._rules.clear()
            self._latency.clear()

    def delay(self, method: str) -> float:
        with self._lock:
            return self._latency.get(method, self._latency.get(None, 0.0))

    def check(self, method: str) -> Fault | None:
        with self._lock:
            fired: Fault | None = None
            for rule in list(self._rules):
                if not rule.applies(method):
                    continue
                if rule.every is not None:
                    rule.seen += 1
                    if fired is None and rule.seen % rule.every == 0:
                        fired = rule.fault()
                elif fired is None and rule.remaining:
                    rule.remaining -= 1
                    fired = rule.fault()
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
            return fired
