"""HTTP side of the stand-in: parses Web API requests (JSON, form, multipart, query), checks the token,
injects faults, dispatches, records every call; also the upload URLs and response_url endpoints."""

from __future__ import annotations

import copy
import email.message
import email.parser
import email.policy
import json
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl, urlsplit

from tests.standin import api_directory, api_messages, api_views
from tests.standin.api_oauth import oauth_v2_access
from tests.standin.blocks import with_generated_ids
from tests.standin.calls import Call, CallLog
from tests.standin.faults import Faults
from tests.standin.state import ApiError, Json, Workspace
from tests.standin.validate import check_message

if TYPE_CHECKING:
    from tests.standin.socket_mode import SocketModeEndpoint

HANDLERS: dict[str, api_directory.Handler] = {
    **api_directory.HANDLERS,
    **api_messages.HANDLERS,
    **api_views.HANDLERS,
}
JSON_FIELDS = ("blocks", "view", "attachments", "files", "metadata")
RESPONSE_URL_USES = 5


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def parse_args(path: str, headers: Any, body: bytes) -> Json:
    """Query, JSON, form and multipart fields merged; JSON sent as a form string is decoded."""
    args: Json = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
    content_type = str(headers.get("Content-Type") or "")
    text = body.decode("utf-8", "replace")
    if "json" in content_type and text.strip():
        loaded = json.loads(text)
        args.update(loaded if isinstance(loaded, dict) else {})
    elif "multipart/form-data" in content_type:
        args.update(_multipart(content_type, body))
    elif text.strip():
        args.update(parse_qsl(text, keep_blank_values=True))
    for key in JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                args[key] = json.loads(value)
            except ValueError:
                pass
    return args


def _multipart(content_type: str, body: bytes) -> Json:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: Json = {}
    for part in message.iter_parts() if isinstance(message, email.message.EmailMessage) else []:
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else b""
        name = str(part.get_param("name", header="content-disposition") or "")
        fields[name] = data if part.get_filename() else data.decode("utf-8", "replace")
    return fields


class Router:
    def __init__(self, ws: Workspace, calls: CallLog, faults: Faults, bot_token: str) -> None:
        self.ws, self.calls, self.faults, self.bot_token = ws, calls, faults, bot_token
        self.app_token, self.socket_mode = "", cast("SocketModeEndpoint | None", None)

    def serve(self, path: str, headers: Any, body: bytes) -> Reply:
        route = urlsplit(path).path.strip("/").split("/")
        if route[0] == "upload" and len(route) == 2:
            method, args = "file_upload", {"file_id": route[1], "length": len(body)}
        else:
            try:
                args = parse_args(path, headers, body)
            except ValueError:
                args = {"_raw": body.decode("utf-8", "replace")}
            if route[0] == "api" and len(route) == 2:
                method = route[1]
            else:
                method = "response_url" if route[0] == "response" else f"unknown_path:{urlsplit(path).path}"
        delay = self.faults.delay(method)
        if delay:
            time.sleep(delay)
        fault = self.faults.check(method)
        if fault is not None:
            reply = Reply(fault.status, fault.body, fault.headers)
        else:
            try:
                reply = self._dispatch(route, method, args, headers, body)
            except Exception as exc:  # a defect in the stand-in must show up, not hang the bot
                traceback.print_exc()
                reply = Reply(500, {"ok": False, "error": f"standin_crashed: {exc!r}"})
        response = reply.body if isinstance(reply.body, dict) else {"ok": reply.status == 200}
        if not isinstance(reply.body, dict) and reply.status != 200:
            response["error"] = str(reply.body)
        self.calls.append(Call(method, args, time.time(), reply.status, copy.deepcopy(response)))
        if fault is None:
            self.faults.hold_reply(method)
        return reply

    def _dispatch(self, route: list[str], method: str, args: Json, headers: Any, body: bytes) -> Reply:
        if method == "file_upload":
            return self._upload(route[1], body)
        if method == "response_url":
            return self._response_url(route, args)
        if route[0] != "api":
            return Reply(404, "not_found")
        auth = str(headers.get("Authorization") or "")
        if method == "oauth.v2.access":  # the app's client id and secret, not a token (tests/standin/api_oauth.py)
            try:
                with self.ws.lock:
                    return Reply(200, {"ok": True, **oauth_v2_access(self.ws, self.ws.oauth, args, headers)})
            except ApiError as exc:
                return Reply(200, {"ok": False, "error": exc.error})
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else args.get("token")
        if method == "apps.connections.open":
            return self._connections_open(token)
        issued = self.ws.oauth is not None and token in self.ws.oauth.tokens - self.ws.oauth.revoked
        if token != self.bot_token and not issued:
            return Reply(200, {"ok": False, "error": "invalid_auth"})
        handler = HANDLERS.get(method)
        if handler is None:
            return Reply(200, {"ok": False, "error": "unknown_method", "req_method": method})
        try:
            with self.ws.lock:
                result = handler(self.ws, args)
        except ApiError as exc:
            return Reply(200, {"ok": False, "error": exc.error, **exc.extra})
        return Reply(200, {"ok": True, **result})

    def _connections_open(self, token: Any) -> Reply:
        # Socket Mode (tests/standin/socket_mode.py): only the app-level token opens a connection.
        if self.socket_mode is None:
            return Reply(200, {"ok": False, "error": "not_allowed_token_type"})
        if not token or token != self.app_token:
            return Reply(200, {"ok": False, "error": "invalid_auth"})
        return Reply(200, {"ok": True, "url": self.socket_mode.open_url()})

    def _upload(self, file_id: str, body: bytes) -> Reply:
        with self.ws.lock:
            record = self.ws.files.get(file_id)
            if record is None:
                return Reply(404, "file_not_found")
            record["content"] = body
        return Reply(200, f"OK - {len(body)}")

    def _response_url(self, route: list[str], args: Json) -> Reply:
        with self.ws.lock:
            target = (
                self.ws.response_urls.get(int(route[1])) if len(route) == 2 and route[1].isdigit() else None
            )
            if target is None:
                return Reply(404, "expired_url")
            if target["uses"] >= RESPONSE_URL_USES:
                return Reply(404, "used_url")
            target["uses"] += 1
            try:
                self._respond(target, args)
            except ApiError as exc:
                return Reply(400 if exc.error != "message_not_found" else 404, exc.error)
        return Reply(200, "ok")

    def _respond(self, target: Json, args: Json) -> None:
        ws, user, original = self.ws, target["user"], target["message_ts"]
        channel = ws.channel(target["channel"])["id"]
        truthy = ("true", "1", True)
        if args.get("delete_original") in truthy:
            message = ws.message(channel, original)
            del ws.messages[channel][message["ts"]]
            ws.timeline.add(
                "bot", "delete", ws.bot_user_id, channel, message.get("text", ""), message=message
            )
            return
        if args.get("replace_original") in truthy and original:
            ephemeral = next((e for e in ws.ephemerals if e["ts"] == original and e["user"] == user), None)
            if ephemeral is not None:
                self._ephemeral(channel, user, args, replacing=ephemeral)
            else:
                api_messages.chat_update(ws, {**args, "channel": channel, "ts": original})
        elif args.get("response_type") == "in_channel":
            api_messages.chat_post_message(ws, {**args, "channel": channel})
        else:
            self._ephemeral(channel, user, args)

    def _ephemeral(self, channel: str, user: str, args: Json, replacing: Json | None = None) -> None:
        check_message(args)
        ephemeral = (
            replacing
            if replacing is not None
            else {"channel": channel, "user": user, "ts": self.ws.next_ts()}
        )
        ephemeral.update({k: copy.deepcopy(args[k]) for k in ("text", "blocks") if k in args})
        with_generated_ids(ephemeral.get("blocks"), f"eph{self.ws.next_id()}")
        if replacing is None:
            self.ws.ephemerals.append(ephemeral)
        self.ws.timeline.add(
            "bot",
            "ephemeral",
            self.ws.bot_user_id,
            channel,
            str(args.get("text") or ""),
            message=copy.deepcopy(ephemeral),
            replaced=replacing is not None,
        )


class _RequestHandler(BaseHTTPRequestHandler):
    server_version = "SlackStandIn/1.0"

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = cast(StandinServer, self.server).router.serve(self.path, self.headers, body)
        is_json = isinstance(reply.body, dict)
        payload = (json.dumps(reply.body) if is_json else str(reply.body)).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8" if is_json else "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller died waiting (a kill -9 test): Slack carries on regardless

    do_GET = do_POST = _handle

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the test output quiet
        pass


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, router: Router) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.router = router
