"""HTTP serving: a small WSGI front for bolt (routes, health check, header guard) and gunicorn."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


def make_wsgi_app(app: App, health: Callable[[], bool]) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    bolt = SlackRequestHandler(app)

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method == "GET":
            ok = health()
            return _reply(start_response, 200 if ok else 503, {"ok": ok})
        if path == "/slack/events" and method == "POST":
            # bolt answers 500 to a malformed timestamp header instead of refusing the request.
            if not environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "").strip().isdigit():
                return _reply(start_response, 401, {"error": "invalid request"})
            return bolt(environ, start_response)
        return _reply(start_response, 404, {"error": "not found"})

    return wsgi


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def serve_gunicorn(wsgi: Callable[..., Iterable[bytes]], port: int, workers: int, log_level: str) -> None:
    """Production serving. Threads, not processes: one app, one scheduler, one connection pool."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", max(4, workers * 4))
            self.cfg.set("timeout", 60)
            self.cfg.set("loglevel", log_level.lower())
            self.cfg.set("accesslog", None)

        def load(self) -> Callable[..., Iterable[bytes]]:
            return wsgi

    _Server().run()
