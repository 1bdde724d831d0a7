"""Multi-workspace install end to end: Slack's OAuth v2 flow against the stand-in (the install page and its
state cookie, oauth.v2.access, auth.test with the new token), the installation in the bot's database, the
bot then serving the workspace with that token (rotated when it nears expiry), and an uninstall that
removes the tokens and stops every delivery planned for the workspace."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from bot.services import checkin_plan
from handlers.jobs import send_due
from storage.models import AuditEntry, Delivery, Group, slack_bots, slack_installations, slack_oauth_states
from tests.checkin_steps import at, chair_says, checkin_group, tick
from tests.oauth_steps import CLIENT_ID, CLIENT_SECRET, SCOPES, MultiWorkspaceBot, get, install, open_install_page
from tests.steps import set_up_group


def _rows(engine, table, **where):
    with engine.connect() as conn:
        q = select(table)
        for key, value in where.items():
            q = q.where(table.c[key] == value)
        return list(conn.execute(q).mappings())


def since(fake, mark: int, method: str):
    return [c for c in fake.calls[mark:] if c.method == method]


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


@pytest.fixture
def multi(fake, engine, clock):
    fake.enable_oauth(CLIENT_ID, CLIENT_SECRET, SCOPES)
    running = MultiWorkspaceBot(fake, engine, clock)
    yield running
    running.stop()


def test_the_install_flow_stores_the_workspace_and_the_bot_then_serves_it(multi, fake, engine, db):
    page = open_install_page(multi)
    asked = parse_qs(urlsplit(page.authorize_url).query)
    assert asked["client_id"] == [CLIENT_ID] and asked["scope"] == [",".join(SCOPES)]
    assert page.state and "slack-app-oauth-state=" in page.cookie  # the state is in the browser and the store
    assert [r["state"] for r in _rows(engine, slack_oauth_states)] == [page.state]

    code = fake.approve_install("UCHAIR")
    mark = fake.mark()
    done = get(f"{multi.base_url}/slack/oauth_redirect?{urlencode({'code': code, 'state': page.state})}", page.cookie)
    assert done.status == 200 and "Thank you!" in done.body

    exchange = since(fake, mark, "oauth.v2.access")
    assert len(exchange) == 1 and exchange[0].args["code"] == code and exchange[0].response["ok"]
    token = exchange[0].response["access_token"]
    assert token in fake.ws.oauth.tokens
    assert [c.response["team_id"] for c in since(fake, mark, "auth.test")] == ["T1"]
    bot, = _rows(engine, slack_bots)
    assert (bot["team_id"], bot["bot_token"], bot["bot_user_id"], bot["client_id"]) == ("T1", token, "UBOT", CLIENT_ID)
    assert bot["bot_scopes"] == ",".join(SCOPES) and bot["bot_id"] == "B0BOT"
    installation, = _rows(engine, slack_installations)
    assert installation["user_id"] == "UCHAIR" and installation["team_id"] == "T1"
    assert _count(engine, slack_oauth_states) == 0  # a state works once

    # The workspace is served with the stored token: the stand-in accepts no other (there is no SLACK_BOT_TOKEN).
    driver = multi.driver()
    set_up_group(driver, fake)
    assert db.one(Group, team_id="T1", channel_id="CGROUP").name.startswith("Southwark")


def test_a_redirect_with_a_forged_state_or_a_bad_code_installs_nothing_and_is_never_a_5xx(multi, fake, engine):
    page = open_install_page(multi)
    code = fake.approve_install("UCHAIR")
    forged = get(f"{multi.base_url}/slack/oauth_redirect?{urlencode({'code': code, 'state': 'forged'})}", page.cookie)
    assert forged.status == 400 and _count(engine, slack_bots) == 0
    no_cookie = get(f"{multi.base_url}/slack/oauth_redirect?{urlencode({'code': code, 'state': page.state})}")
    assert no_cookie.status == 400 and _count(engine, slack_bots) == 0
    page = open_install_page(multi)
    bad = get(f"{multi.base_url}/slack/oauth_redirect?{urlencode({'code': 'not-a-code', 'state': page.state})}",
              page.cookie)
    assert bad.status == 401 and _count(engine, slack_bots) == 0
    denied = get(f"{multi.base_url}/slack/oauth_redirect?error=access_denied")
    # bolt answers a refusal on Slack's page with its own failure page
    assert denied.status == 200 and "Thank you" not in denied.body and _count(engine, slack_bots) == 0


def test_a_workspace_that_never_installed_the_app_is_not_served(multi, fake, engine, db):
    mark = fake.mark()
    multi.driver().command("UCHAIR", "CGROUP", "/group", "setup")
    assert db.count(Group) == 0
    assert not since(fake, mark, "views.open")


def test_a_rotating_token_is_refreshed_before_it_expires_and_the_old_refresh_token_is_spent(fake, engine, clock, db):
    app = fake.enable_oauth(CLIENT_ID, CLIENT_SECRET, SCOPES, rotation=True, expires_in=600)  # inside bolt's margin
    running = MultiWorkspaceBot(fake, engine, clock)
    try:
        assert install(running, fake).status == 200
        first, = _rows(engine, slack_bots)
        assert first["bot_token"].startswith("xoxe.xoxb-") and first["bot_refresh_token"] in app.refresh_tokens
        mark = fake.mark()
        set_up_group(running.driver(), fake)
        refreshed = [c for c in since(fake, mark, "oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
        assert refreshed and refreshed[0].args["refresh_token"] == first["bot_refresh_token"]
        newest = _rows(engine, slack_bots)[-1]
        assert newest["bot_token"] != first["bot_token"] and newest["bot_refresh_token"] in app.refresh_tokens
        assert first["bot_refresh_token"] not in app.refresh_tokens  # single use
        assert db.count(Group, team_id="T1") == 1
    finally:
        running.stop()


def test_uninstalling_removes_the_tokens_and_stops_every_delivery_for_the_workspace(multi, fake, engine, clock, db):
    assert install(multi, fake).status == 200
    driver = multi.driver()
    checkin_group(driver, fake)
    assert "every Monday at 09:00" in chair_says(driver, fake, "schedule Mon 9am")
    at(clock, 2026, 11, 30, 9, 0)
    checkin_plan.plan_due(multi.bundle.deps.uow(), clock)  # the scheduler's planning half: due, not yet sent
    planned = db.count(Delivery, status="pending")
    assert planned == 4  # the check-in DMs to the four managers

    driver.event({"type": "app_uninstalled"})
    fake.wait_until(lambda: db.count(AuditEntry, action="workspace.stopped") == 1)
    assert _count(engine, slack_bots) == 0 and _count(engine, slack_installations) == 0
    assert db.count(Delivery, status="pending") == 0 and db.count(Delivery, status="cancelled") == planned

    mark = fake.mark()
    assert tick(multi) == 0
    at(clock, 2026, 12, 7, 9, 0)  # a week on: the next week's check-in is planned, and cancelled when claimed
    assert tick(multi) == 0
    send_due(multi.bundle.app.client, multi.bundle.deps)
    assert not since(fake, mark, "chat.postMessage")
    assert db.count(Delivery, status="pending") == 0 and db.count(Delivery, status="failed") == 0
    assert db.count(Delivery, status="cancelled") > planned  # what was planned since, cancelled when claimed


def test_revoking_the_bot_token_removes_it_and_stops_deliveries_but_a_user_token_alone_stops_nothing(
        multi, fake, engine, clock, db):
    assert install(multi, fake).status == 200
    driver = multi.driver()
    checkin_group(driver, fake)
    assert "every Monday at 09:00" in chair_says(driver, fake, "schedule Mon 9am")
    at(clock, 2026, 11, 30, 9, 0)
    checkin_plan.plan_due(multi.bundle.deps.uow(), clock)
    planned = db.count(Delivery, status="pending")

    driver.event({"type": "tokens_revoked", "tokens": {"oauth": ["UCHAIR"]}})
    fake.wait_until(lambda: _count(engine, slack_installations) == 0)  # the installer's row goes
    assert _count(engine, slack_bots) == 1 and db.count(Delivery, status="pending") == planned

    driver.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}})
    fake.wait_until(lambda: db.count(AuditEntry, action="workspace.stopped") == 1)
    assert _count(engine, slack_bots) == 0 and db.count(Delivery, status="pending") == 0
    mark = fake.mark()
    assert tick(multi) == 0 and not since(fake, mark, "chat.postMessage")
