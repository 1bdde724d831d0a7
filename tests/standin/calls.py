"""Thread-safe records of what crossed the wire: every Web API call, and a timeline of what people saw
and did (the raw material of transcripts)."""

from __future__ import annotations

import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

POLL_INTERVAL = 0.01


@dataclass(frozen=True)
class Call:
    """One request the stand-in answered: `args` merges query, form and JSON fields."""

    method: str
    args: dict[str, Any]
    time: float
    status: int
    response: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool((self.response or {}).get("ok"))

    @property
    def error(self) -> str | None:
        return None if self.ok else str((self.response or {}).get("error", f"http_{self.status}"))

    def matches(self, method: str | None, match: dict[str, Any]) -> bool:
        """Equality on each given arg; a callable expected value is used as a predicate instead."""
        if method is not None and self.method != method:
            return False
        for key, expected in match.items():
            actual = self.args.get(key)
            if callable(expected) and not isinstance(expected, type):
                if not expected(actual):
                    return False
            elif actual != expected:
                return False
        return True

    def summary(self) -> str:
        keys = ["channel", "user", "user_id", "users", "ts", "timestamp", "view_id", "external_id", "name"]
        keys += ["response_type", "text"]
        shown = ", ".join(f"{k}={str(self.args[k])[:60]!r}" for k in keys if k in self.args)
        outcome = "ok" if self.ok else f"error={self.error}"
        return f"{self.method} [{self.status} {outcome}] {shown}"


CallMatcher = str | Callable[[Call], bool]


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []

    def append(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)

    def select(self, what: CallMatcher | None, match: dict[str, Any], after: int = 0) -> list[Call]:
        calls = self.snapshot()[after:]
        if callable(what):
            return [c for c in calls if what(c) and c.matches(None, match)]
        return [c for c in calls if c.matches(what, match)]

    def wait_for(self, what: CallMatcher, timeout: float, match: dict[str, Any], after: int = 0) -> Call:
        deadline = _time.monotonic() + timeout
        while True:
            found = self.select(what, match, after)
            if found:
                return found[-1]
            if _time.monotonic() >= deadline:
                break
            _time.sleep(POLL_INTERVAL)
        recent = self.snapshot()[-15:]
        wanted = what if isinstance(what, str) else getattr(what, "__name__", "predicate")
        lines = "\n".join(f"  {c.summary()}" for c in recent) or "  (no calls at all)"
        raise AssertionError(
            f"no call matching {wanted} {match or ''} within {timeout}s; last {len(recent)} calls:\n{lines}"
        )


@dataclass(frozen=True)
class Entry:
    """A line of the story: side is "bot" (a Web API effect), "user" (the driver) or "note"."""

    seq: int
    time: float
    side: str
    kind: str
    actor: str | None
    channel: str | None
    text: str
    data: dict[str, Any] = field(default_factory=dict)


class Timeline:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[Entry] = []

    def add(
        self, side: str, kind: str, actor: str | None, channel: str | None, text: str, **data: Any
    ) -> Entry:
        with self._lock:
            entry = Entry(len(self._entries) + 1, _time.time(), side, kind, actor, channel, text, data)
            self._entries.append(entry)
            return entry

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
