"""HTTP serving: a WSGI front door for bolt (size limit, Slack's signature, body shape) and gunicorn.

Bolt parses a body before it checks the signature and answers 500 to several malformed inputs, so
nothing reaches it until the front door has, in this order: refused a body over 1 MiB by its
declared length without reading it (413; no length at all is 411 unless the server de-chunks the
input, then at most limit+1 bytes are read); checked an ASCII-digit timestamp within five minutes and
`v0=HMAC-SHA256(secret, "v0:ts:body")` on the raw bytes (401); and parsed the body the way bolt will,
checking the fields bolt and our listeners read for its kind (400). Bolt's own verification is off
(`create_app`). Whatever still fails inside bolt is logged with a reference and answered 400 (or 200
for an event, which Slack would only re-send to fail the same way): a signed request never gets a 5xx.
A refused request leaves one WARNING line: status, reason and size; never its body or header values.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse

from bot import metrics
from bot.logs import request_id, request_scope

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

MAX_BODY = 1 << 20  # Slack's own requests are a few kilobytes; its largest view submissions well under this
TOLERANCE = 300  # seconds either side of now, as Slack documents
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII only: str.isdigit() accepts "²"
_LENGTH = re.compile(r"[0-9]{1,12}")

# The fields bolt's request parsing and our listeners read, by the kind of request.
_USER = {"user": dict}
_SHAPES: dict[str, dict[str, type]] = {
    "event_callback": {"event": dict},
    "url_verification": {"challenge": str},
    "block_actions": {"actions": list, **_USER},
    "view_submission": {"view": dict, **_USER},
    "view_closed": {"view": dict, **_USER},
    "shortcut": {"callback_id": str, **_USER},
    "message_action": {"callback_id": str, **_USER},
    "block_suggestion": {"action_id": str, **_USER},
}


class Refused(Exception):
    def __init__(self, status: int, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.size = status, reason, size


def make_wsgi_app(app: App, *, signing_secret: str, health: Callable[[], bool],
                  now: Callable[[], float] = time.time,
                  ready: Callable[[], tuple[bool, dict[str, Any]]] | None = None) -> Wsgi:
    if not signing_secret:
        raise ValueError("serving HTTP needs Slack's signing secret")
    secret = signing_secret.encode()

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method == "GET":
            ok = health()
            return _reply(start_response, 200 if ok else 503, {"ok": ok})
        if path == "/metrics" and method == "GET":
            body, content_type = metrics.exposition()
            return _send(start_response, BoltResponse(status=200, body=body.decode(),
                                                       headers={"content-type": content_type}))
        if path == "/readyz" and method == "GET" and ready is not None:
            # Readiness (bot/checks.py): the database, the schema and Slack's word on the token; /healthz
            # stays liveness, so a Slack outage takes the process out of rotation without restarting it.
            ok, checks = ready()
            return _reply(start_response, 200 if ok else 503, {"ok": ok, "checks": checks})
        if path == "/slack/events" and method == "POST":
            # Every line logged while handling it carries its request id; it is counted and timed by surface.
            with request_scope(), metrics.observe_request(start_response) as answer:
                return _slack_events(environ, answer)
        flow = app.oauth_flow  # multi-workspace install: bolt serves the install page and the redirect
        if flow is not None and method == "GET" and path in (flow.install_path, flow.redirect_uri_path):
            return _oauth(app, environ, start_response)
        return _reply(start_response, 404, {"error": "not found"})

    def _slack_events(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        size: int | None = None
        try:
            size = _declared_length(environ)
            _check_timestamp(environ, now())
            raw = _read_body(environ, size)
            size = len(raw)
            _check_signature(environ, raw, secret)
            text, kind = _check_shape(environ, raw)
        except Refused as refusal:
            size = refusal.size if refusal.size is not None else size
            log.warning("refused request: %d %s (%s bytes)", refusal.status, refusal.reason,
                        "unknown" if size is None else size)
            return _reply(start_response, refusal.status, {"error": refusal.reason})
        return _dispatch(app, environ, text, kind, start_response)

    return wsgi


def _declared_length(environ: dict[str, Any]) -> int | None:
    """The body's declared length, refused when over the limit; None when the server de-chunks it."""
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not declared:
        if environ.get("wsgi.input_terminated"):
            return None  # a chunked body the server will end for us: read at most limit+1 bytes
        raise Refused(411, "no content length")
    if not _LENGTH.fullmatch(declared):
        raise Refused(413 if declared.isascii() and declared.isdigit() else 400, "invalid content length")
    if int(declared) > MAX_BODY:
        raise Refused(413, "body too large", size=int(declared))
    return int(declared)


def _check_timestamp(environ: dict[str, Any], now: float) -> None:
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Refused(401, "missing or malformed timestamp")
    if abs(now - int(timestamp)) > TOLERANCE:
        raise Refused(401, "stale timestamp")


def _read_body(environ: dict[str, Any], length: int | None) -> bytes:
    stream = environ.get("wsgi.input")
    want = MAX_BODY + 1 if length is None else length
    try:
        raw = stream.read(want) if stream is not None and want else b""
    except (OSError, ValueError) as error:
        raise Refused(400, f"body could not be read ({type(error).__name__})") from error
    if length is None and len(raw) > MAX_BODY:
        raise Refused(413, "body too large (more than the limit was read)", size=len(raw))
    if length is not None and len(raw) != length:
        raise Refused(400, "body shorter than its content length")
    return bytes(raw)


def _check_signature(environ: dict[str, Any], raw: bytes, secret: bytes) -> None:
    timestamp = environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"].encode()
    expected = b"v0=" + hmac.new(secret, b"v0:" + timestamp + b":" + raw, hashlib.sha256).hexdigest().encode()
    # WSGI hands header values over as latin-1 strings, so this round-trips whatever bytes were sent.
    given = str(environ.get("HTTP_X_SLACK_SIGNATURE", "")).encode("latin-1", "replace")
    if not hmac.compare_digest(expected, given):
        raise Refused(401, "bad signature")


def _check_shape(environ: dict[str, Any], raw: bytes) -> tuple[str, str]:
    """Parse the body by its media type and check what its kind must carry: (text for bolt, kind)."""
    media = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if media not in ("application/json", "application/x-www-form-urlencoded"):
        raise Refused(415, "content type is neither JSON nor a form")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(400, "body is not UTF-8") from error
    if "\x00" in text:
        raise Refused(400, "body contains a NUL character")
    form = dict(parse_qsl(text, keep_blank_values=True)) if media != "application/json" else {}
    if form and "payload" not in form:
        if not _is_command(form):
            raise Refused(400, "form is not a slash command")
        # bolt reads any form containing the word "payload" as an interaction, so a command whose text
        # says "payload" arrived empty. Percent-encoding its "p" gives the same form without the word.
        return text.replace("payload", "%70ayload"), "command"
    try:
        body = json.loads(form["payload"] if form else text)
    except (ValueError, RecursionError) as error:  # deep nesting exhausts the decoder's recursion
        raise Refused(400, "body is not valid JSON") from error
    if not isinstance(body, dict):
        raise Refused(400, "body is not a JSON object")
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        raise Refused(400, "body has no type")
    for name, wanted in _SHAPES.get(kind, {}).items():
        if not isinstance(body.get(name), wanted):
            raise Refused(400, f"{kind} without a valid {name}")
    if not _nested_ok(kind, body):
        raise Refused(400, f"{kind} with malformed contents")
    return text, kind


def _is_command(body: dict[str, Any]) -> bool:
    if "ssl_check" in body:
        return True
    fields = ("command", "user_id", "channel_id")
    return all(isinstance(body.get(f), str) and body[f] for f in fields) and str(body["command"]).startswith("/")


def _nested_ok(kind: str, body: dict[str, Any]) -> bool:
    """The inner fields bolt matches listeners on: an event's type, each action's id, a view's callback id."""
    if "user" in _SHAPES.get(kind, {}) and not isinstance(body["user"].get("id"), str):
        return False
    if kind == "event_callback":
        return isinstance(body["event"].get("type"), str)
    if kind == "block_actions":
        actions = body["actions"]
        return bool(actions) and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    if kind in ("view_submission", "view_closed"):
        return isinstance(body["view"].get("callback_id"), str) and isinstance(body["view"].get("id"), str)
    return True


def _dispatch(app: App, environ: dict[str, Any], text: str, kind: str,
              start_response: StartResponse) -> Iterable[bytes]:
    headers: dict[str, str | Sequence[str]] = {
        key[5:].lower().replace("_", "-"): str(value) for key, value in environ.items() if key.startswith("HTTP_")}
    headers["content-type"] = str(environ.get("CONTENT_TYPE") or "")
    metrics.surface_is(kind)
    try:
        response = app.dispatch(BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers,
                                            context={"request_id": request_id.get()}))
    except Exception:  # noqa: BLE001 - the one place a signed request's failure becomes an answer, not a 5xx
        ref = uuid.uuid4().hex[:8]
        log.error("request failed ref=%s kind=%s", ref, kind, exc_info=True)
        if kind == "event_callback":
            return _send(start_response, BoltResponse(status=200, body=""))
        return _reply(start_response, 400, {"error": "request could not be processed", "ref": ref})
    if response.status >= 500:
        # bolt's answer after a middleware error: the error handler has logged and told the person.
        log.error("bolt answered %d kind=%s; answering 200 instead", response.status, kind)
        return _send(start_response, BoltResponse(status=200, body=""))
    return _send(start_response, response)


def _oauth(app: App, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A browser's GET of the install page or the OAuth redirect: not signed (Slack sends the person, not a
    request), so bolt checks the state (cookie and store) instead. Never a 5xx, as for signed requests."""
    headers: dict[str, str | Sequence[str]] = {
        key[5:].lower().replace("_", "-"): str(value) for key, value in environ.items() if key.startswith("HTTP_")}
    request = BoltRequest(body="", query=environ.get("QUERY_STRING", ""), headers=headers)
    flow = app.oauth_flow
    try:
        assert flow is not None
        path = environ.get("PATH_INFO", "")
        response = flow.handle_installation(request) if path == flow.install_path else flow.handle_callback(request)
    except Exception:  # noqa: BLE001 - a browser gets a plain failure page, never a 5xx
        ref = uuid.uuid4().hex[:8]
        log.error("oauth request failed ref=%s", ref, exc_info=True)
        return _reply(start_response, 400, {"error": "installation could not be completed", "ref": ref})
    if response.status >= 500:
        log.error("oauth flow answered %d; answering 400 instead", response.status)
        response = BoltResponse(status=400, body=response.body, headers=response.headers)
    return _send(start_response, response)


def _send(start_response: StartResponse, response: BoltResponse) -> Iterable[bytes]:
    data = (response.body or "").encode()
    headers = [(k, v) for k, values in response.headers.items() if k.lower() != "content-length" for v in values]
    start_response(_status(response.status), [*headers, ("Content-Length", str(len(data)))])
    return [data]


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(_status(status), [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _status(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Status"


def serve_gunicorn(wsgi: Callable[..., Iterable[bytes]], port: int, workers: int, log_level: str,
                   in_worker: Callable[[], None] = lambda: None) -> None:
    """Production serving. Threads, not processes: one app, one scheduler, one connection pool.

    gunicorn forks its worker from the process that built the app. `in_worker` runs in the worker once it
    is ready, and is where background threads start (the scheduler, recovery of stranded requests): a
    thread running in the parent at the moment of the fork could leave a lock held forever in the child.
    """
    from gunicorn.app.base import BaseApplication
    from gunicorn.glogging import Logger

    from bot.logs import make_handler

    class _OneLineLogger(Logger):  # type: ignore[misc]
        """gunicorn's error log through the bot's handler: its own formatter lets a bad request's text
        break lines, and would log exception messages."""

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            self.error_log.handlers = [make_handler()]

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", max(4, workers * 4))
            self.cfg.set("timeout", 60)
            self.cfg.set("post_worker_init", lambda _worker: in_worker())
            self.cfg.set("loglevel", log_level.lower())
            self.cfg.set("accesslog", None)
            self.cfg.set("logger_class", _OneLineLogger)

        def load(self) -> Callable[..., Iterable[bytes]]:
            return wsgi

    _Server().run()
