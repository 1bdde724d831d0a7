"""Steps shared by the journeys: each does what a person does and waits for what Slack would show."""

from __future__ import annotations

from typing import Any

from tests.harness import CHANNEL
from tests.standin import FakeSlack, SlackDriver

MANAGERS = {"UMGR1": "Tower Bridge Care Home", "UMGR2": "Bermondsey Lodge"}
MEMBERS = {"UNHS": "NHS South East London", "UCQC": "Care Quality Commission", "UHW": "Healthwatch Southwark"}


def posted(fake: FakeSlack, containing: str, after: int = 0, channel: str = CHANNEL) -> dict[str, Any]:
    """Wait for the bot to post a channel message whose text contains `containing`; return it as stored."""
    call = fake.wait_for(lambda c: c.method == "chat.postMessage" and c.ok and c.args.get("channel") == channel
                         and containing in (c.args.get("text") or ""), after=after)
    ts = call.response["ts"] if call.response else None
    found = fake.message(channel, ts) if ts else None
    assert found is not None, f"message with {containing!r} not stored"
    return found


def ephemeral_to(fake: FakeSlack, user: str, after: int) -> str:
    """Wait for a private answer to `user` (ephemeral, or through a response_url); return its text."""
    fake.wait_for(lambda c: (c.method == "chat.postEphemeral" and c.args.get("user") == user)
                  or c.method == "response_url", after=after)
    # A response_url call does not say whose it was: wait until this user really has one.
    fake.wait_until(lambda: fake.ephemerals(user), message=f"an ephemeral message for {user}")
    return str(fake.ephemerals(user)[-1].get("text") or "")


def set_up_group(driver: SlackDriver, fake: FakeSlack, name: str = "Southwark Care Home Strategy Group") -> None:
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "setup")
    fake.wait_for("views.open", after=mark)
    view = fake.last_view("UCHAIR")
    assert view is not None
    answer = driver.submit_view("UCHAIR", view, {"name": name, "co_chairs": ["UCOCHAIR"]})
    assert answer.status == 200, answer.body
    posted(fake, "is set up in this channel", after=mark)


def give_roles(driver: SlackDriver, fake: FakeSlack) -> None:
    for user, org in MANAGERS.items():
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/group", f'role <@{user}> manager organisation "{org}"')
        assert "is now *manager*" in ephemeral_to(fake, "UCHAIR", mark)
    for user, org in MEMBERS.items():
        mark = fake.mark()
        driver.command("UCHAIR", CHANNEL, "/group", f"role <@{user}> member organisation {org}")
        assert "is now *member*" in ephemeral_to(fake, "UCHAIR", mark)


def start_meeting(driver: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "start")
    return posted(fake, "Welcome and check-in", after=mark)


def reply(driver: SlackDriver, fake: FakeSlack, user: str, card: dict[str, Any], text: str) -> str:
    """Reply in a card's thread and wait for the bot's ✅ on it."""
    mark = fake.mark()
    _, ts = driver.post_message(user, CHANNEL, text, thread_ts=card["ts"])
    fake.wait_for("reactions.add", after=mark, timestamp=ts)
    return ts


def next_stage(driver: SlackDriver, fake: FakeSlack, title: str, user: str = "UCHAIR") -> dict[str, Any]:
    mark = fake.mark()
    driver.command(user, CHANNEL, "/meeting", "next")
    return posted(fake, title, after=mark)


def card_text(fake: FakeSlack, card: dict[str, Any]) -> str:
    """Everything a card shows now (after updates), as one string."""
    stored = fake.message(CHANNEL, card["ts"]) or {}
    return _all_text(stored.get("blocks") or [])


def _all_text(node: Any) -> str:
    if isinstance(node, dict):
        return " ".join(_all_text(v) for k, v in node.items() if k in ("text", "elements", "fields", "blocks"))
    if isinstance(node, list):
        return " ".join(_all_text(v) for v in node)
    return node if isinstance(node, str) else ""
