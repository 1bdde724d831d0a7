"""Signed HTTP delivery into the bot, as Slack signs it (v0 HMAC-SHA256 of "v0:timestamp:body")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from tests.standin.events import VERIFICATION_TOKEN

if TYPE_CHECKING:
    from tests.standin.fake_slack import FakeSlack

Json = dict[str, Any]


class SendOptions(TypedDict, total=False):
    """Per-call overrides, to send what a forger or a slow network would send."""

    timestamp: str | int | float  # X-Slack-Request-Timestamp (the signature follows it unless given)
    signature: str  # X-Slack-Signature as is
    headers: dict[str, str]  # extra headers


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    json: Any | None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def sign(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def post(url: str, body: str, headers: dict[str, str], timeout: float) -> Response:
    """POST and return whatever came back; HTTP errors are answers too (only a dead socket raises)."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, raw, got = answer.status, answer.read(), dict(answer.headers.items())
    except urllib.error.HTTPError as error:
        status, raw, got = error.code, error.read(), dict(error.headers.items())
    text = raw.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return Response(status, text, parsed, got)


class SignedSender:
    """Holds where and how to send; subclasses add what people do."""

    def __init__(
        self,
        bot_url: str,
        fake: FakeSlack,
        signing_secret: str | None = None,
        clock: Callable[[], float] | None = None,
        *,
        timeout: float = 10.0,
    ) -> None:
        self.bot_url, self.fake, self.timeout = bot_url, fake, timeout
        self.signing_secret = signing_secret if signing_secret is not None else fake.signing_secret
        self.clock = clock or time.time
        self.last_envelope: Json | None = None

    def send(self, body: str, content_type: str, **opts: Unpack[SendOptions]) -> Response:
        """POST a raw body, signed (or mis-signed through `timestamp` / `signature`)."""
        timestamp = str(opts.get("timestamp", int(self.clock())))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": opts.get("signature", sign(self.signing_secret, timestamp, body)),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **opts.get("headers", {}),
        }
        return post(self.bot_url, body, headers, self.timeout)

    def _form(self, fields: Json, **opts: Unpack[SendOptions]) -> Response:
        return self.send(urllib.parse.urlencode(fields), "application/x-www-form-urlencoded", **opts)

    def _interaction(self, payload: Json, **opts: Unpack[SendOptions]) -> Response:
        return self._form({"payload": json.dumps(payload)}, **opts)

    def _user(self, user: str) -> Json:
        found = self.fake.user(user) or {"name": user}
        return {"id": user, "username": found["name"], "name": found["name"], "team_id": self.fake.team_id}

    def _base(self, kind: str, user: str) -> Json:
        ws = self.fake.ws
        return {
            "type": kind,
            "user": self._user(user),
            "api_app_id": ws.app_id,
            "token": VERIFICATION_TOKEN,
            "team": {"id": ws.team_id, "domain": ws.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
        }
