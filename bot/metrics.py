"""The Prometheus `/metrics` endpoint (the official prometheus_client library).

What an operator watches, and why these:

- `carehome_requests_total{surface,status}` and `carehome_request_seconds{surface}`: Slack's requests
  at the front door by surface (event, command, action, view; `refused` for what the front door turned
  away before bolt), timed from arrival to the answer Slack waits for: the acknowledgement, which must
  come within 3 seconds.
- `carehome_deliveries{status}`: scheduled messages (DMs, reminders, digests) by state, counted in the
  database when scraped, so every process reports the same truth: `pending`, `claimed` and `sending` are
  waiting, `failed` will be tried again, `abandoned` was given up on.
- `carehome_scheduler_seconds_since_last_run{job}`: how long since each periodic job last ran in this
  process (since the scheduler started, before its first run). A job that runs every minute showing
  minutes here means the scheduler is stuck or starved. Only a process that runs the scheduler has it:
  the web process when it runs the scheduler itself, or the clock process's own endpoint (METRICS_PORT).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session

from storage.ops_repositories import delivery_counts

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()
SURFACES = {"command": "command", "event_callback": "event", "block_actions": "action",
            "view_submission": "view", "view_closed": "view"}
REQUESTS = Counter("carehome_requests", "Slack requests at the front door, by surface and HTTP status",
                   ["surface", "status"], registry=REGISTRY)
LATENCY = Histogram("carehome_request_seconds", "Time from a Slack request's arrival to its answer, by surface",
                    ["surface"], registry=REGISTRY,
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0))

_surface: contextvars.ContextVar[str] = contextvars.ContextVar("surface", default="refused")


def surface_is(kind: str) -> None:
    """The front door says what kind of request this is, once it knows (after the signature and shape)."""
    _surface.set(SURFACES.get(kind, "other"))


@contextmanager
def observe_request(start_response: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """Count and time one request; yields the start_response to answer through (it notes the status)."""
    started, status = time.perf_counter(), ["0"]
    token = _surface.set("refused")

    def noting(code: str, *args: Any) -> Any:
        status[0] = code.split(" ", 1)[0]
        return start_response(code, *args)

    try:
        yield noting
    finally:
        surface = _surface.get()
        _surface.reset(token)
        REQUESTS.labels(surface, status[0]).inc()
        LATENCY.labels(surface).observe(time.perf_counter() - started)


class _Sources(Collector):
    """What is computed when scraped: deliveries from the database, the scheduler's lag from its listener."""

    def __init__(self) -> None:
        self.session_factory: Callable[[], Session] | None = None
        self.last_runs: dict[str, float] = {}
        self.lock = threading.Lock()

    def collect(self) -> Iterable[GaugeMetricFamily]:
        if self.session_factory is not None:
            up = GaugeMetricFamily("carehome_metrics_database_up", "1 if the database answered this scrape")
            try:
                with self.session_factory() as session:
                    counts = delivery_counts(session)
                up.add_metric([], 1)
            except Exception as error:  # noqa: BLE001 - a scrape must answer even when the database cannot
                log.warning("metrics: the database did not answer (%s)", type(error).__name__)
                counts = None
                up.add_metric([], 0)
            yield up
            if counts is not None:
                family = GaugeMetricFamily("carehome_deliveries", "Scheduled messages by state", labels=["status"])
                for status in sorted({"pending", "claimed", "sending", "failed", "abandoned", *counts}):
                    family.add_metric([status], counts.get(status, 0))
                yield family
        with self.lock:
            runs = dict(self.last_runs)
        if runs:
            lag = GaugeMetricFamily("carehome_scheduler_seconds_since_last_run",
                                    "Seconds since each scheduler job last ran in this process", labels=["job"])
            now = time.time()
            for job, at in sorted(runs.items()):
                lag.add_metric([job], max(0.0, now - at))
            yield lag


_SOURCES = _Sources()
REGISTRY.register(_SOURCES)


def watch_database(session_factory: Callable[[], Session]) -> None:
    """Count deliveries in this database at every scrape (the latest call wins)."""
    _SOURCES.session_factory = session_factory


def watch_scheduler(scheduler: Any) -> None:
    """Note each job's runs (APScheduler's executed and error events); before its first run, the start."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

    def ran(event: Any) -> None:
        with _SOURCES.lock:
            _SOURCES.last_runs[event.job_id] = time.time()

    started = time.time()
    with _SOURCES.lock:
        for job in scheduler.get_jobs():
            _SOURCES.last_runs.setdefault(job.id, started)
    scheduler.add_listener(ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)


def exposition() -> tuple[bytes, str]:
    """The text format Prometheus scrapes, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve_alone(port: int) -> None:
    """For the clock process, which serves no HTTP of its own: /metrics on `port` in a daemon thread."""
    from prometheus_client import start_http_server

    start_http_server(port, registry=REGISTRY)
