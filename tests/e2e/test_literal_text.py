"""What members write reaches Slack as literal text: `<!here>`, `<!channel>`, `<@U…>` or `<#C…>` typed anywhere
(thread replies, forms, commands, names) never notifies anyone, in any field of any Web API call."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.checkin_steps import answer
from tests.harness import CHANNEL
from tests.standin.calls import Call
from tests.steps import card_text, ephemeral_to, next_stage, posted, reply, set_up_group, start_meeting

EVIL = "<!here> <!channel> <!everyone> <!subteam^SEVIL> <@UEVIL> <#CEVIL|evil> & co"
BROADCAST = re.compile(r"<!|<@UEVIL|<#CEVIL")
# Fields Slack never renders as mrkdwn: ids, values carried back to the bot, and text a person edits.
UNRENDERED = {"initial_value", "private_metadata", "value", "metadata", "action_id", "block_id", "callback_id",
              "external_id", "trigger_id", "view_id", "hash", "ts", "thread_ts", "channel", "user", "users"}


def rendered(node: Any, where: str = "") -> list[tuple[str, str]]:
    """(path, string) for every string Slack would render as mrkdwn or plain message text."""
    if isinstance(node, str):
        if node[:1] in "[{":
            try:
                return rendered(json.loads(node), where)
            except ValueError:
                pass
        return [(where, node)]
    if isinstance(node, dict):
        if node.get("type") == "plain_text":  # Slack shows plain_text as typed: nothing in it can notify
            return []
        return [found for key, value in node.items() if key not in UNRENDERED
                for found in rendered(value, f"{where}.{key}")]
    if isinstance(node, list):
        return [found for i, value in enumerate(node) for found in rendered(value, f"{where}[{i}]")]
    return []


def broadcasts(calls: list[Call]) -> list[str]:
    found = []
    for call in calls:
        if call.method in ("file_upload", "users.info", "conversations.open", "conversations.members"):
            continue  # a file's bytes are a document, not a message; the others carry ids only
        args = {"initial_comment": call.args.get("initial_comment")} if call.method.startswith("files.") \
            else call.args
        found += [f"{call.method}{path}: {text[:160]!r}" for path, text in rendered(args) if BROADCAST.search(text)]
    return found


def said(label: str) -> str:
    return f"{label} {EVIL}"


def form(driver, fake, user, card, button, values):
    mark = fake.mark()
    driver.click_button(user, CHANNEL, card["ts"], button)
    fake.wait_for("views.open", after=mark)
    response = driver.submit_view(user, fake.last_view(user), values)
    assert response.status == 200 and not (response.json or {}).get("errors"), response.json


def command(driver, fake, user, name, text):
    mark = fake.mark()
    driver.command(user, CHANNEL, name, text)
    return ephemeral_to(fake, user, mark)


def test_what_members_write_never_notifies_anyone(bot, driver, fake, db, clock):
    fake.add_user("UNAMED", "namer", "<!channel> Name")  # people choose their own Slack names too
    fake.add_member(CHANNEL, "UNAMED")
    set_up_group(driver, fake, name="<!channel> <@UEVIL> Group")
    assert "is now *manager*" in command(driver, fake, "UCHAIR", "/group",
                                         f'role <@UMGR1> manager organisation "{said("Org")}"')
    command(driver, fake, "UCHAIR", "/group", f"role <@UNHS> member organisation {said('NHS')}")

    card = start_meeting(driver, fake)
    reply(driver, fake, "UMGR1", card, said("check-in"))
    reply(driver, fake, "UNAMED", card, "hello")
    form(driver, fake, "UMGR2", card, "I'm here", {"organisation": said("Lodge"), "feeling": said("feeling")})
    fake.wait_until(lambda: "3 here" in card_text(fake, card))

    rules = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UMGR1", rules, said("rule by reply"))
    form(driver, fake, "UNHS", rules, "Propose a rule", {"text": said("rule by form")})
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    posted(fake, "Ground rules · version 1", after=mark)
    agreement = posted(fake, "Partnership agreement", after=mark)

    reply(driver, fake, "UMGR1", agreement, said("partnership"))
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, agreement["ts"], "Write up the agreement")
    fake.wait_for("views.open", after=mark)
    draft = fake.last_view("UCHAIR")
    driver.submit_view("UCHAIR", draft, {"text": draft["blocks"][0]["element"]["initial_value"] + "\n" + EVIL})
    published = posted(fake, "Partnership agreement · version 1", after=mark)
    mark = fake.mark()
    driver.click_button("UMGR1", CHANNEL, published["ts"], "Sign the agreement")
    ephemeral_to(fake, "UMGR1", mark)

    theme = next_stage(driver, fake, "Themes")
    reply(driver, fake, "UMGR2", theme, said("working well"))
    form(driver, fake, "UNHS", theme, "Answer", {"text": said("answer by form")})
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "goto actions")
    actions = posted(fake, "Actions", after=mark)
    reply(driver, fake, "UMGR2", actions, said("idea"))
    form(driver, fake, "UNHS", actions, "Add an action", {
        "description": said("by form"), "owner": "UNHS", "agency": said("Pharmacy"), "agency_absent": ["absent"],
        "volunteer": "UMGR2", "prerequisites": said("needs")})
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", f'add {said("by command")} owner <@UMGR1> agency "{said("CCG")}"')
    posted(fake, "A-2", after=mark)
    fake.wait_until(lambda: "2 actions agreed" in card_text(fake, actions))
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", f"report A-2 in-progress {said('note')}")
    posted(fake, "is now _in progress_", after=mark)
    command(driver, fake, "UMGR1", "/actions", "all")
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/actions", "")
    fake.wait_until(lambda: "Your open actions" in (fake.ephemerals("UMGR1")[-1].get("text") or ""))
    mark = fake.mark()
    driver.click_ephemeral_button("UMGR1", "Report back")
    fake.wait_for("views.open", after=mark)
    driver.submit_view("UMGR1", fake.last_view("UMGR1"), {"status": "blocked", "note": said("blocked")})
    posted(fake, "is now _blocked_", after=mark)

    feedback = next_stage(driver, fake, "Feedback")
    reply(driver, fake, "UMGR2", feedback, said("felt"))
    form(driver, fake, "UNHS", feedback, "Give feedback", {"text": said("felt"), "takeaway": said("take")})
    close = next_stage(driver, fake, "Close")
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, close["ts"], "Close meeting")
    posted(fake, "Minutes · Meeting 1", after=mark)

    command(driver, fake, "UCHAIR", "/meeting", f"goto {said('stage')}")
    command(driver, fake, "UMGR1", "/meeting", "minutes 1")
    command(driver, fake, "UCHAIR", "/group", "members")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "export minutes md")
    fake.wait_for("files.completeUploadExternal", after=mark)
    command(driver, fake, "UCHAIR", "/checkin", f"schedule {said('day')} 9am")
    command(driver, fake, "UCHAIR", "/checkin", "pause")
    answer(driver, fake, "UMGR1", {"answer_working_well": said("week"), "answer_support": said("support")},
           by_button=False)
    answer(driver, fake, "UMGR1", {"answer_working_well": said("week again")}, by_button=False)
    command(driver, fake, "UCHAIR", "/checkin", "status")
    for user in ("UMGR1", "UNHS", "UHW"):
        mark = fake.mark()
        driver.app_home_opened(user)
        fake.wait_for("views.publish", after=mark, user_id=user)

    assert broadcasts(fake.calls) == []
    shown = str(fake.message(CHANNEL, published["ts"]))
    assert "&lt;!here&gt;" in shown and "&amp; co" in shown  # shown as typed, not dropped
