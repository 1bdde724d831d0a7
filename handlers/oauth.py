"""Multi-workspace install: Slack's OAuth v2 flow, the tokens it stores, and workspaces that leave.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, bolt serves `/slack/install` (a page with the "Add to
Slack" button, setting a state cookie) and `/slack/oauth_redirect` (exchanges the code with
`oauth.v2.access`, checks the new token with `auth.test`, stores the installation), and authorizes every
request by its workspace's stored bot token. The stores are slack_sdk's SQLAlchemy ones, on the bot's own
database; their tables come from our migrations (storage/models/slack_oauth.py), never create_tables().

Token rotation, when switched on for the app, is handled by bolt for requests and by `BotTokens` for the
scheduler's jobs: a token within ROTATE_BEFORE_MINUTES of expiry is refreshed before use. Refresh tokens
are single-use, so in this process refreshes take turns on one lock.
"""

from __future__ import annotations

import threading
from typing import Any

from slack_bolt import App
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.services import workspaces
from bot.settings import Settings
from handlers.deps import Deps
from handlers.errors import guarded

ROTATE_BEFORE_MINUTES = 120  # bolt's default: tokens last 12 hours, so this refreshes about every 10
STATE_SECONDS = 600  # how long an "Add to Slack" click stays valid


def oauth_settings(settings: Settings, engine: Engine, client: WebClient) -> OAuthSettings | None:
    if not settings.multi_workspace:
        return None
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(settings.scopes),
        redirect_uri=settings.redirect_uri or None,
        install_path=settings.install_path,
        redirect_uri_path=settings.redirect_uri_path,
        installation_store=SQLAlchemyInstallationStore(client_id=settings.client_id, engine=engine),
        # Requests are authorized by the workspace's bot token alone: the bot acts for no user.
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
    )
    # bolt's authorize builds its token rotator on a client of its own, aimed at slack.com whatever
    # SLACK_API_URL says; the app's client goes where the rest of the bot's calls go.
    if isinstance(oauth.authorize, InstallationStoreAuthorize) and oauth.authorize.token_rotator is not None:
        oauth.authorize.token_rotator = TokenRotator(client_id=settings.client_id,
                                                     client_secret=settings.client_secret, client=client)
    return oauth


class BotTokens:
    """A workspace's bot token by team id, for the scheduler (`Deps.bot_token_for`), rotated when due."""

    def __init__(self, settings: OAuthSettings, client: WebClient) -> None:
        assert isinstance(settings.installation_store, SQLAlchemyInstallationStore)
        self.store = settings.installation_store
        self.rotator = TokenRotator(client_id=settings.client_id, client_secret=settings.client_secret,
                                    client=client)
        self._lock = threading.Lock()

    def __call__(self, team_id: str) -> str | None:
        with self._lock:
            bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                return None
            if bot.bot_refresh_token:
                refreshed = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES)
                if refreshed is not None:
                    self.store.save_bot(refreshed)
                    bot = refreshed
            return bot.bot_token


def register_workspace_events(app: App, store: SQLAlchemyInstallationStore | None) -> None:
    """`app_uninstalled` and `tokens_revoked`: the workspace's tokens go (as bolt's own
    `enable_token_revocation_listeners` does; bolt runs only the first listener an event matches, so
    these listeners do both) and every delivery planned for its groups is cancelled."""

    def uninstalled(body: dict[str, Any], deps: Deps) -> None:
        team_id = str(body.get("team_id") or "")
        if store is not None:
            store.delete_all(enterprise_id=body.get("enterprise_id"), team_id=team_id)
        workspaces.stop_workspace(deps.uow(), deps.clock, team_id=team_id, why="app_uninstalled")

    def revoked(event: dict[str, Any], body: dict[str, Any], deps: Deps) -> None:
        team_id, tokens = str(body.get("team_id") or ""), event.get("tokens") or {}
        if store is not None:
            for user_id in tokens.get("oauth") or []:
                store.delete_installation(enterprise_id=body.get("enterprise_id"), team_id=team_id, user_id=user_id)
            if tokens.get("bot"):
                store.delete_bot(enterprise_id=body.get("enterprise_id"), team_id=team_id)
        if tokens.get("bot"):  # without its bot token the bot can no longer write there
            workspaces.stop_workspace(deps.uow(), deps.clock, team_id=team_id, why="tokens_revoked")

    app.event("app_uninstalled")(guarded(uninstalled))
    app.event("tokens_revoked")(guarded(revoked))
