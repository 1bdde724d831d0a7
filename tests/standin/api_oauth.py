"""oauth.v2.access as Slack documents it (https://api.slack.com/methods/oauth.v2.access): the app's
client id and secret (HTTP Basic, or client_id/client_secret fields) exchange a one-time `code` from
"Add to Slack" for the workspace's bot token; with token rotation on, the token expires (`expires_in`)
and comes with a single-use `refresh_token`, which `grant_type=refresh_token` exchanges for new ones.

`OAuthApp` is the app's side of Slack's records: its credentials, the codes handed out by the install
page's redirect, and the tokens issued (which the stand-in's token check then accepts).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field

from tests.standin.state import ApiError, Json, Workspace


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    rotation: bool = False  # the app's "token rotation" switch
    expires_in: int = 43200  # seconds; Slack's rotating tokens last 12 hours
    codes: dict[str, str] = field(default_factory=dict)  # code -> installing user id
    refresh_tokens: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    revoked: set[str] = field(default_factory=set)

    def new_code(self, user_id: str) -> str:
        code = f"{secrets.randbelow(10**12)}.{secrets.token_hex(8)}"
        self.codes[code] = user_id
        return code


def _credentials(args: Json, headers: Json) -> tuple[str, str]:
    auth = str(headers.get("Authorization") or "")
    if auth.startswith("Basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return client_id, secret
    return str(args.get("client_id") or ""), str(args.get("client_secret") or "")


def oauth_v2_access(ws: Workspace, app: OAuthApp | None, args: Json, headers: Json) -> Json:
    if app is None:
        raise ApiError("invalid_client_id")
    client_id, secret = _credentials(args, headers)
    if client_id != app.client_id:
        raise ApiError("invalid_client_id")
    if secret != app.client_secret:
        raise ApiError("bad_client_secret")
    if args.get("grant_type") == "refresh_token":
        refresh = str(args.get("refresh_token") or "")
        if refresh not in app.refresh_tokens:
            raise ApiError("invalid_refresh_token")
        app.refresh_tokens.discard(refresh)  # single use
        return _issue(ws, app, user_id=None)
    code = str(args.get("code") or "")
    if code not in app.codes:
        raise ApiError("invalid_code")
    return _issue(ws, app, user_id=app.codes.pop(code))  # a code works once


def _issue(ws: Workspace, app: OAuthApp, user_id: str | None) -> Json:
    prefix = "xoxe.xoxb-1-" if app.rotation else "xoxb-"
    token = f"{prefix}{ws.team_id}-{secrets.token_hex(12)}"
    app.tokens.add(token)
    answer: Json = {
        "access_token": token,
        "token_type": "bot",
        "scope": ",".join(app.scopes),
        "bot_user_id": ws.bot_user_id,
        "app_id": ws.app_id,
        "team": {"name": "Care Home Test", "id": ws.team_id},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if user_id is not None:
        answer["authed_user"] = {"id": user_id}
    if app.rotation:
        refresh = f"xoxe-1-{secrets.token_hex(16)}"
        app.refresh_tokens.add(refresh)
        answer.update(expires_in=app.expires_in, refresh_token=refresh)
    return answer
