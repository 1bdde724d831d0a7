"""The multi-workspace bot (SLACK_CLIENT_ID/SECRET, no bot token) and Slack's install flow, as a browser goes
through it: the install page, Slack's consent (the stand-in hands out a code), the redirect back."""

from __future__ import annotations

import http.cookies
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import Engine

from bot.domain.clock import Clock
from bot.settings import Settings
from tests.harness import RunningBot
from tests.standin import FakeSlack

CLIENT_ID, CLIENT_SECRET = "1111.2222", "oauth-client-secret"
SCOPES = ("commands", "chat:write", "im:write", "channels:history", "channels:read", "users:read", "reactions:write")


class MultiWorkspaceBot(RunningBot):
    """RunningBot configured as a multi-workspace deployment: tokens come from installs, not the environment."""

    def __init__(self, fake: FakeSlack, engine: Engine, clock: Clock, *, api_url: str | None = None) -> None:
        self.fake, self.engine, self.clock = fake, engine, clock
        self.settings = Settings(signing_secret=fake.signing_secret, slack_api_url=api_url or fake.api_url,
                                 database_url=str(engine.url), client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                 scopes=SCOPES)
        self._start(0)


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, list[str]]


def get(url: str, cookie: str = "") -> Page:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            status, raw, items = answer.status, answer.read(), answer.headers.items()
    except urllib.error.HTTPError as error:
        status, raw, items = error.code, error.read(), error.headers.items()
    headers: dict[str, list[str]] = {}
    for key, value in items:
        headers.setdefault(key.lower(), []).append(value)
    return Page(status, raw.decode("utf-8", "replace"), headers)


@dataclass
class InstallPage:
    authorize_url: str
    state: str
    cookie: str  # what the browser keeps and sends back with the redirect


def open_install_page(bot: RunningBot) -> InstallPage:
    page = get(f"{bot.base_url}/slack/install")
    assert page.status == 200, page
    found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.body)
    assert found, page.body
    url = found.group(1).replace("&amp;", "&")
    jar = http.cookies.SimpleCookie()
    for header in page.headers.get("set-cookie", []):
        jar.load(header)
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    return InstallPage(url, parse_qs(urlsplit(url).query)["state"][0], cookie)


def install(bot: RunningBot, fake: FakeSlack, user: str = "UCHAIR") -> Page:
    """The whole flow, in one workspace: "Add to Slack", Allow, back to the bot; returns the bot's last page."""
    page = open_install_page(bot)
    code = fake.approve_install(user)
    return get(f"{bot.base_url}/slack/oauth_redirect?{urlencode({'code': code, 'state': page.state})}", page.cookie)
