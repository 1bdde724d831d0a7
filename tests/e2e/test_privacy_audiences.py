"""For every place a member writes, who can later see it: what the card or form says, against where the bot
then put the words (every message, update, ephemeral, DM, form, Home tab and file the stand-in recorded).

One first meeting, its close, the minutes asked for by a member and by a chair, the chair's export, a
report back between meetings and a week of check-ins. Each member writes a unique token in each place.
"""

from __future__ import annotations

from storage.models import AuditEntry, Group
from tests.audiences import audience
from tests.checkin_steps import answer, at, chair_says, checkin_group, tick
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, next_stage, posted, reply, start_meeting

# The minutes reach the channel (posted at close, and the chair's Markdown export) and whoever asks for
# them again with /meeting minutes (here a member, UMGR1, and the chair).
MINUTES = {"channel", "ephemeral:UMGR1", "ephemeral:UCHAIR"}


def open_form(driver, fake, user, card, button):
    mark = fake.mark()
    driver.click_button(user, CHANNEL, card["ts"], button)
    fake.wait_for("views.open", after=mark)
    return fake.last_view(user)


def shown(view) -> str:
    return str(view["blocks"])


def test_every_place_a_member_writes_says_who_will_see_it_and_nobody_else_does(bot, driver, fake, db, clock):
    checkin_group(driver, fake)  # chair, co-chair, managers UMGR1, UMGR2, UCQC, UHW; members UNHS
    words: dict[str, str] = {}  # token -> the sentence the writer was shown

    card = start_meeting(driver, fake)
    words["tkcheckinreply"] = card_text(fake, card)
    reply(driver, fake, "UMGR1", card, "tkcheckinreply feeling fine")
    view = open_form(driver, fake, "UMGR2", card, "I'm here")
    words["tkcheckinform"] = shown(view)
    driver.submit_view("UMGR2", view, {"feeling": "tkcheckinform tired"})
    fake.wait_until(lambda: "2 here" in card_text(fake, card))

    rules = next_stage(driver, fake, "Ground rules")
    words["tkrulereply"] = card_text(fake, rules)
    reply(driver, fake, "UNHS", rules, "tkrulereply no blame")
    view = open_form(driver, fake, "UCQC", rules, "Propose a rule")
    words["tkruleform"] = shown(view)
    driver.submit_view("UCQC", view, {"text": "tkruleform phones away"})
    fake.wait_until(lambda: "2 proposals" in card_text(fake, rules))
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement = posted(fake, "Partnership agreement", after=mark)

    view = open_form(driver, fake, "UCQC", agreement, "Add to the agreement")
    words["tkagreeform"] = shown(view)
    driver.submit_view("UCQC", view, {"text": "tkagreeform we listen"})
    fake.wait_until(lambda: "1 contribution" in card_text(fake, agreement))
    mark = fake.mark()
    view = open_form(driver, fake, "UCHAIR", agreement, "Write up the agreement")
    driver.submit_view("UCHAIR", view, {})  # published as drafted
    posted(fake, "Partnership agreement · version 1", after=mark)

    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "themes Creating Community")
    posted(fake, "This meeting will cover 1 theme", after=mark)
    theme = next_stage(driver, fake, "Themes: Creating Community")
    words["tkthemereply"] = card_text(fake, theme)
    reply(driver, fake, "UMGR1", theme, "tkthemereply the choir")
    view = open_form(driver, fake, "UNHS", theme, "Answer")
    words["tkthemeform"] = shown(view)
    driver.submit_view("UNHS", view, {"text": "tkthemeform the garden"})
    fake.wait_until(lambda: "2 answers" in card_text(fake, theme))

    actions = next_stage(driver, fake, "Theme")  # the second question, then the actions
    actions = next_stage(driver, fake, "Actions")
    words["tkidea"] = card_text(fake, actions)
    reply(driver, fake, "UMGR2", actions, "tkidea a garden party")
    view = open_form(driver, fake, "UMGR1", actions, "Add an action")
    words["tkactionform"] = shown(view)
    mark = fake.mark()
    driver.submit_view("UMGR1", view, {"description": "tkactionform plant bulbs", "owner": "UMGR2"})
    fake.wait_for(lambda c: c.method == "chat.postMessage" and "tkactionform" in str(c.args), after=mark)
    words["tkactioncmd"] = bot.bundle.deps.texts.help("actions")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/actions", "add tkactioncmd paint the fence owner <@UHW>")
    ephemeral_to(fake, "UCHAIR", mark)

    feedback = next_stage(driver, fake, "Feedback")
    words["tkfeedbackreply"] = card_text(fake, feedback)
    reply(driver, fake, "UHW", feedback, "tkfeedbackreply good meeting")
    view = open_form(driver, fake, "UCOCHAIR", feedback, "Give feedback")
    words["tkfeedbackform"] = shown(view)
    driver.submit_view("UCOCHAIR", view, {"text": "tkfeedbackform felt heard", "takeaway": "tktakeaway bulbs"})
    fake.wait_until(lambda: "gave feedback" in card_text(fake, feedback) and "and 1 other" in card_text(fake, feedback))

    close = next_stage(driver, fake, "Close")
    words["minutes"] = card_text(fake, close)
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, close["ts"], "Close meeting")
    posted(fake, "Minutes · Meeting 1", after=mark)
    for user in ("UMGR1", "UCHAIR"):
        mark = fake.mark()
        driver.command(user, CHANNEL, "/meeting", "minutes")
        ephemeral_to(fake, user, mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "export minutes md")
    fake.wait_for("files.completeUploadExternal", after=mark)

    # Between meetings: a report back by command, and a week of check-ins.
    words["tkreport"] = bot.bundle.deps.texts.help("actions")
    mark = fake.mark()
    driver.command("UMGR2", CHANNEL, "/actions", "report A-1 in-progress tkreport bulbs ordered")
    ephemeral_to(fake, "UMGR2", mark)
    chair_says(driver, fake, "schedule monday 09:00")
    at(clock, 2026, 11, 30, 9, 0)
    tick(bot)
    answer(driver, fake, "UMGR1", {"answer_working_well": "tkweekly staff settled"})
    words["tkweekly"] = shown(fake.last_view("UMGR1"))
    at(clock, 2026, 12, 2, 9, 0)
    tick(bot)

    table = [  # token, what the writer was told (in part), who the bot may show it to
        ("tkcheckinreply", "this card and the minutes show only who is here", set()),
        ("tkcheckinform", "shown to no one", set()),
        ("tkrulereply", "the rules the chair adopts are posted here and in the minutes, without names",
         {"channel", *MINUTES}),
        ("tkruleform", "the rules they adopt are posted in this channel and in the minutes", {"channel", *MINUTES}),
        ("tkagreeform", "The chair and co-chairs see it (without your name) in their write-up; the agreement they "
                        "publish is posted in this channel", {"modal:UCHAIR", "channel"}),
        ("tkthemereply", "Answers go into the minutes, posted in this channel, with your name", MINUTES),
        ("tkthemeform", "It goes into the minutes, posted in this channel, with your name", MINUTES),
        ("tkidea", "the minutes list the actions, not the ideas", set()),
        ("tkactionform", "posted in this channel", {"channel", "dm:UMGR2", "home:UMGR2", *MINUTES}),
        ("tkactioncmd", "is posted in the group's channel and goes into the minutes",
         {"channel", "dm:UHW", "home:UHW", *MINUTES}),
        ("tkfeedbackreply", "include what you say without your name; the chair and co-chairs can see who said what",
         MINUTES),
        ("tkfeedbackform", "include it without your name; the chair and co-chairs can see who said what", MINUTES),
        ("tkreport", "is posted in the group's channel", {"channel"}),
        ("tkweekly", "go to the group&#39;s chair and co-chairs only", {"dm:UCHAIR", "dm:UCOCHAIR"}),
    ]
    # The members' home tabs may show the agreement to sign (it is the group's, in the channel anyway).
    homes = {f"home:{u}" for u in ("UCHAIR", "UCOCHAIR", "UMGR1", "UMGR2", "UNHS", "UCQC", "UHW")}
    for token, sentence, expected in table:
        said = words[token].replace("\n", " ").replace("'", "&#39;") if token == "tkweekly" else \
            " ".join(words[token].split())
        assert " ".join(sentence.split()) in " ".join(said.split()), (token, said[:600])
        seen = audience(fake, token)
        extra = (seen - expected) - (homes if token == "tkagreeform" else set())
        assert not extra and expected <= seen, (token, sorted(seen), sorted(expected))

    # Feedback in the channel's minutes has no name beside it; the chair's copy does.
    sections = [b["text"]["text"] for m in fake.messages(CHANNEL) for b in m.get("blocks") or []
                if b.get("type") == "section" and b["text"]["text"].startswith("*Feedback*")]
    assert len(sections) == 1 and "tkfeedbackform" in sections[0] and "tkfeedbackreply" in sections[0]
    assert "Priya Shah" not in sections[0] and "Grace Lee" not in sections[0] and "Someone" in sections[0]
    chairs_copy = " ".join(str(e["blocks"]) for e in fake.ephemerals("UCHAIR") if "Minutes" in str(e.get("blocks")))
    assert "Priya Shah" in chairs_copy.split("Feedback")[-1] and "The chairs' copy, with names" in chairs_copy
    members_copy = " ".join(str(e["blocks"]) for e in fake.ephemerals("UMGR1") if "Minutes" in str(e.get("blocks")))
    assert "Priya Shah" not in members_copy.split("Feedback")[-1]
    [exported] = fake.files()
    assert "Priya Shah" not in exported["content"].decode().split("## Feedback")[1]


def test_a_group_that_shares_gets_counts_and_topics_in_the_channel_never_names_or_answers(
        bot, driver, fake, db, clock):
    checkin_group(driver, fake)
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/checkin", "share channel on")
    assert "Only the chair or a co-chair" in ephemeral_to(fake, "UMGR1", mark)
    assert db.one(AuditEntry, action="checkin.share_channel").outcome == "refused"
    assert "never who did not answer" in chair_says(driver, fake, "share channel on")
    assert "`/checkin share channel on` or `/checkin share channel off`" in chair_says(driver, fake, "share maybe")
    assert db.one(Group).checkin_share_channel is True
    chair_says(driver, fake, "schedule monday 09:00")
    at(clock, 2026, 11, 30, 9, 0)
    tick(bot)
    answer(driver, fake, "UMGR1", {"answer_not_working": "Night staffing is thin, tkuniqueone"})
    assert "The channel sees only how many managers answered" in str(fake.last_view("UMGR1")["blocks"])
    answer(driver, fake, "UMGR2", {"answer_not_working": "Night staffing again, tkuniquetwo"})
    answer(driver, fake, "UCQC", {"answer_support": "Medication rounds tksecret", "private_support": ["chair_only"]})
    answer(driver, fake, "UHW", {"answer_support": "Medication rounds too"})
    at(clock, 2026, 12, 2, 9, 0)
    assert tick(bot) == 3  # the two chairs by DM, and the channel's summary
    [summary] = [m for m in fake.messages(CHANNEL) if "Weekly check-in" in (m.get("text") or "")]
    text = str(summary["blocks"]) + summary["text"]
    assert "4 of 4 managers answered" in text and "night staffing" in text
    assert "medication" not in text.lower()  # raised twice, but once in an answer for the chairs only
    for never in ("<@U", "tkunique", "tksecret", "Alex", "Jo ", "Not yet", "Answered"):
        assert never not in text, never
    assert audience(fake, "tkuniqueone") == {"dm:UCHAIR", "dm:UCOCHAIR"}
    assert audience(fake, "tksecret") == {"dm:UCHAIR", "dm:UCOCHAIR"}
    digest = str([m for m in fake.dms("UCHAIR") if "Check-in digest" in (m.get("text") or "")][0]["blocks"])
    assert "(chairs only): Medication rounds tksecret" in digest and "The channel gets a summary" in digest

    # Turned off after the week's summary was planned: nothing more goes to the channel.
    chair_says(driver, fake, "share channel off")
    at(clock, 2026, 12, 7, 9, 0)
    tick(bot)
    at(clock, 2026, 12, 9, 9, 0)
    tick(bot)
    assert len([m for m in fake.messages(CHANNEL) if "Weekly check-in" in (m.get("text") or "")]) == 1
