"""Journey: a complete first meeting, from /meeting start to the minutes, and the minutes checked
against what was said and against the database."""

from __future__ import annotations

from datetime import date

from storage.models import Action, Contribution, Meeting, Minutes
from tests.harness import CHANNEL
from tests.steps import card_text, ephemeral_to, give_roles, next_stage, posted, reply, set_up_group, start_meeting

MEMBERS = ["UCOCHAIR", "UMGR1", "UMGR2", "UNHS", "UCQC", "UHW"]  # six members and the chair
THEMES = ["Managing Transitions", "Improving Health & Healthcare", "Creating Community"]


def open_form(driver, fake, user, card, button):
    mark = fake.mark()
    driver.click_button(user, CHANNEL, card["ts"], button)
    fake.wait_for("views.open", after=mark)
    return fake.last_view(user)


def test_a_whole_first_meeting_ends_with_minutes_that_match_what_was_said(bot, driver, fake, db, clock):
    set_up_group(driver, fake)
    give_roles(driver, fake)
    card = start_meeting(driver, fake)
    for user in ["UCHAIR", *MEMBERS]:
        reply(driver, fake, user, card, f"{user} here, feeling good")

    # Stages 2-3 quickly: rules adopted, agreement published (the opening journey covers them in depth).
    rules_card = next_stage(driver, fake, "Ground rules")
    reply(driver, fake, "UMGR1", rules_card, "No blame")
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "next")
    ephemeral_to(fake, "UCHAIR", mark)
    driver.click_ephemeral_button("UCHAIR", "Adopt all and move on")
    agreement_card = posted(fake, "Partnership agreement", after=mark)
    view = open_form(driver, fake, "UCHAIR", agreement_card, "Write up the agreement")
    driver.submit_view("UCHAIR", view, {"text": "We work as equal partners."})
    posted(fake, "Partnership agreement · version 1", after=mark)

    # Stage 4: three themes, both questions each, by thread and by modal.
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/meeting", "themes managing transitions, improving health and healthcare, "
                                                  "Creating comm")
    posted(fake, "This meeting will cover 3 themes", after=mark)
    said: dict[tuple[str, str], list[str]] = {}
    for i, theme in enumerate(THEMES):
        for question, asked in [("working_well", "What is currently working well?"),
                                ("at_its_best", "What will it look like at its best?")]:
            theme_card = next_stage(driver, fake, f"Themes: {theme}")
            assert asked in card_text(fake, theme_card)
            answers = [f"{theme} {question} from UMGR{1 + i % 2}", f"{theme} {question} from UNHS"]
            reply(driver, fake, f"UMGR{1 + i % 2}", theme_card, answers[0])
            view = open_form(driver, fake, "UNHS", theme_card, "Answer")
            assert driver.submit_view("UNHS", view, {"text": answers[1]}).status == 200
            fake.wait_until(lambda c=theme_card: "2 answers from 2 people" in card_text(fake, c))
            said[(theme, question)] = answers

    # Stage 5: five actions: two by the modal (one for an absent agency, with a volunteer), three by command.
    actions_card = next_stage(driver, fake, "Actions")
    view = open_form(driver, fake, "UMGR1", actions_card, "Add an action")
    driver.submit_view("UMGR1", view, {"description": "Write a welcome pack for new residents' families",
                                       "owner": "UMGR1", "theme": "Managing Transitions",
                                       "agency": "Tower Bridge Care Home", "due": "2027-01-29"})
    view = open_form(driver, fake, "UNHS", actions_card, "Add an action")
    driver.submit_view("UNHS", view, {"description": "Ask the community pharmacy about weekly medicine reviews",
                                      "owner": "UNHS", "agency": "Community pharmacy", "agency_absent": ["absent"],
                                      "volunteer": "UCQC", "prerequisites": "A named pharmacist"})
    for text in ['Run a falls workshop for night staff owner <@UMGR2> agency "NHS Falls Team" due 2027-02-26',
                 "Invite the school choir owner <@UHW> theme Creating Community",
                 "Map GP cover for each home owner <@UCOCHAIR> agency CCG theme improving health due next Friday"]:
        driver.command("UCHAIR", CHANNEL, "/actions", f"add {text}")
    fake.wait_until(lambda: db.count(Action) == 5)
    fake.wait_until(lambda: "5 actions agreed" in card_text(fake, actions_card))
    fake.wait_until(lambda: any("A-2" in (m.get("text") or "") for m in fake.dms("UCQC")))  # the volunteer
    # The three commands run at once, so their numbers come in any order.
    falls = db.one(Action, description="Run a falls workshop for night staff")
    assert (falls.owner_id, falls.agency, falls.due_date) == ("UMGR2", "NHS Falls Team", date(2027, 2, 26))
    gp = db.one(Action, description="Map GP cover for each home")
    assert gp.due_date == date(2026, 11, 27)  # "next Friday", from Monday 23 November
    assert gp.theme == "Improving Health & Healthcare"
    assert sorted(a.number for a in db.all(Action)) == [1, 2, 3, 4, 5]
    fake.wait_until(lambda: any(f"You have taken on *A-{falls.number}*" in (m.get("text") or "")
                                for m in fake.dms("UMGR2")))

    # Stage 6: feedback from every attendee, by modal and by thread; the card counts, it doesn't tell.
    feedback_card = next_stage(driver, fake, "Feedback")
    for user in ["UCHAIR", "UCOCHAIR", "UMGR1"]:
        view = open_form(driver, fake, user, feedback_card, "Give feedback")
        driver.submit_view(user, view, {"text": f"Felt heard ({user})", "takeaway": "Ring the pharmacy",
                                        "rating": "5"})
    for user in ["UMGR2", "UNHS", "UCQC", "UHW"]:
        reply(driver, fake, user, feedback_card, f"Useful meeting ({user})")
    fake.wait_until(lambda: "7 of 7 attendees gave feedback" in card_text(fake, feedback_card))
    assert "Felt heard" not in card_text(fake, feedback_card)

    # Stage 7: close. The minutes are posted and stored.
    close_card = next_stage(driver, fake, "Close")
    mark = fake.mark()
    driver.click_button("UCHAIR", CHANNEL, close_card["ts"], "Close meeting")
    posted(fake, "Meeting 1 has ended", after=mark)
    first = posted(fake, "Minutes · Meeting 1", after=mark)
    fake.wait_until(lambda: db.count(Minutes) == 1)
    posted_text = " ".join(card_text(fake, m) for m in fake.messages(CHANNEL, include_replies=False)
                           if m["ts"] >= first["ts"])

    # The minutes say what was said, by name, and no Slack ids.
    for (theme, _question), answers in said.items():
        assert theme.replace("&", "&amp;") in posted_text
        for answer in answers:
            assert answer.replace("&", "&amp;") in posted_text
    for ref in ["A-1", "A-2", "A-3", "A-4", "A-5"]:
        assert ref in posted_text
    assert "Alex Morgan" in posted_text and "Fatima Idris" in posted_text
    assert "Tom Reilly will invite them" in posted_text
    assert "<@U" not in posted_text, posted_text[posted_text.find("<@U") - 200:][:400]
    assert "Felt heard (UCHAIR)" in posted_text

    # And the database agrees with the minutes.
    assert db.one(Meeting).status == "ended"
    stored = db.one(Minutes).markdown
    themes_said = [c for c in db.all(Contribution) if c.stage == "themes"]
    assert len(themes_said) == 12 and all(c.text in stored for c in themes_said)
    assert all(f"A-{a.number}" in stored and a.description in stored for a in db.all(Action))
    assert db.count(Contribution, stage="feedback") == 7

    # /meeting minutes shows them again; /group export uploads the file.
    mark = fake.mark()
    driver.command("UMGR1", CHANNEL, "/meeting", "minutes 1")
    assert "Minutes" in ephemeral_to(fake, "UMGR1", mark)
    mark = fake.mark()
    driver.command("UCHAIR", CHANNEL, "/group", "export minutes md")
    fake.wait_for("files.completeUploadExternal", after=mark)
    exported = fake.files()[-1]
    assert exported["content"].decode() == stored
