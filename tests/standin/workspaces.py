"""Several workspaces behind one Slack API address, as the real Slack is: one stand-in per workspace, and
this front that sends each Web API call to the workspace its credentials belong to (the bot token, or
for oauth.v2.access the one-time code or the refresh token). Response URLs and upload URLs name their
own stand-in's address, as Slack's name Slack's, so they never pass through here."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from tests.standin.fake_slack import FakeSlack


class SlackFront:
    def __init__(self, fakes: list[FakeSlack]) -> None:
        self.fakes = fakes
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.02,), name="slack-front", daemon=True).start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def owner(self, authorization: str, body: bytes) -> FakeSlack:
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else ""
        token = token or form.get("token", "")
        for fake in self.fakes:
            app = fake.ws.oauth
            if token and (token == fake.bot_token or (app is not None and token in app.tokens)):
                return fake
            if app is not None and (form.get("code") in app.codes or form.get("refresh_token") in app.refresh_tokens):
                return fake
        return self.fakes[0]  # unknown credentials: the stand-in answers as Slack would (invalid_auth, ...)


def _handler(front: SlackFront) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fake = front.owner(str(self.headers.get("Authorization") or ""), body)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            request = urllib.request.Request(fake.url + self.path, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    status, raw, got = answer.status, answer.read(), list(answer.headers.items())
            except urllib.error.HTTPError as error:
                status, raw, got = error.code, error.read(), list(error.headers.items())
            self.send_response(status)
            for key, value in got:
                if key.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Forward
