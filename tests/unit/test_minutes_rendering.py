"""The minutes read well for someone who was not there, omit what is empty and fit Slack's limits."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from slack_sdk.models.blocks import Block

from bot.domain.minutes import ActionMinutes, FeedbackMinutes, MinutesData, Person, Said, ThemeMinutes
from bot.texts import Texts
from handlers.blocks.minutes import minutes_markdown, minutes_messages, minutes_sections

TEXTS = Texts()

MEETING = MinutesData(
    group="Southwark Care Homes", number=3, date="Monday 23 November 2026", started="10:00", ended="11:30",
    attended=(Person("Sam Okafor", "Southwark Council"), Person("Priya Shah", "Sunrise Care Home"),
              Person("Alex Morgan")),
    apologies=(Person("Dr Tom Reid", "Riverside GP Practice"),),
    rules_version=2, rules=("One voice at a time.", "What is said here stays here."),
    agreement_version=1, signed=("Sam Okafor", "Priya Shah"), not_signed=("Alex Morgan",),
    themes=(
        ThemeMinutes("Improving Health & Healthcare", "Making sure residents get the health services they need.",
                     working_well=(Said("Priya Shah", "The GP visits every Tuesday."),
                                   Said("Alex Morgan", "Pharmacy reviews are on time.\nFamilies are told.")),
                     at_its_best=(Said("Sam Okafor", "Every home has a named GP."),)),
        ThemeMinutes("Creating Community", "Building relationships.",
                     working_well=(Said("Alex Morgan", "The school choir visits monthly."),)),
        ThemeMinutes("Managing Transitions", "Helping people cope with moving in."),  # nothing said: omitted
    ),
    actions=(
        ActionMinutes("A-1", "Ask the GP practice about weekly ward rounds", "Priya Shah", "Riverside GP Practice",
                      "Fri 30 January 2027", "Improving Health & Healthcare", volunteer="Priya Shah",
                      agency_in_group=False),
        ActionMinutes("A-2", "Set up a visiting rota with the school", "Alex Morgan", "Sunrise Care Home",
                      "Mon 15 February 2027", "Creating Community", prerequisites="Agree a named contact."),
    ),
    feedback=(
        FeedbackMinutes("Priya Shah", True, "Listened to", "Ward rounds are within reach", 5),
        FeedbackMinutes("Dr Tom Reid", False, "Sorry to miss it", None, 4),
    ),
    next_meeting="Monday 22 February 2027, 10:00",
    feedback_named=True,  # as the chairs' copy, or a group that chose names
)

SPARSE = MinutesData(group="Lambeth", number=1, date="Tuesday 1 December 2026", started="14:00", ended=None,
                     attended=(Person("Sam Okafor"),),
                     themes=(ThemeMinutes("Creating Community", "Building relationships."),))


def slack_text(data: MinutesData) -> str:
    return "\n".join(b["text"]["text"] for _, blocks in minutes_messages(data, TEXTS) for b in blocks
                     if b["type"] == "section")


def all_blocks(data: MinutesData) -> list[dict]:
    return [b for _, blocks in minutes_messages(data, TEXTS) for b in blocks]


def test_a_small_meeting_has_every_section_attributed_by_name():
    md, slack = minutes_markdown(MEETING, TEXTS), slack_text(MEETING)
    assert md.startswith("# Southwark Care Homes — Meeting 3 minutes\n")
    for heading in ("## Attendance", "## Ground rules (version 2)", "## Partnership agreement (version 1)",
                    "## Themes", "### Improving Health & Healthcare", "### Creating Community", "## Actions (2)",
                    "## Feedback", "## Next meeting"):
        assert f"\n{heading}\n" in md, heading
    for heading in ("*Attendance*", "*Ground rules (version 2)*", "*Partnership agreement (version 1)*", "*Themes*",
                    "*Improving Health &amp; Healthcare*", "*Actions (2)*", "*Feedback*", "*Next meeting*"):
        assert heading in slack, heading
    assert "Managing Transitions" not in md and "Managing Transitions" not in slack
    assert "- Priya Shah: The GP visits every Tuesday." in md
    assert "- Alex Morgan: Pharmacy reviews are on time.\n  Families are told." in md
    assert "• Sam Okafor: Every home has a named GP." in slack
    assert "Priya Shah (Sunrise Care Home)" in md and "Dr Tom Reid (Riverside GP Practice)" in slack
    assert "- **Not yet signed (1):** Alex Morgan" in md and "*Not yet signed (1):* Alex Morgan" in slack
    assert "| A-1 | Ask the GP practice about weekly ward rounds | Improving Health & Healthcare | Priya Shah |" in md
    volunteer = "Riverside GP Practice is not in the group: Priya Shah will invite them."
    assert volunteer in md and volunteer in slack
    assert "Prerequisites: Agree a named contact." in md and "Prerequisites: Agree a named contact." in slack
    assert "- Dr Tom Reid (did not attend): rated the meeting 4 out of 5" in md
    assert "• Dr Tom Reid (did not attend): rated the meeting 4 out of 5" in slack
    assert "2 people gave feedback; average rating 4.5 out of 5." in md
    assert "Takes away: Ward rounds are within reach" in slack
    assert "Monday 22 February 2027, 10:00" in md and "Monday 22 February 2027, 10:00" in slack
    assert not re.search(r"\bU[A-Z0-9]{6,}\b|<@", md + slack)
    assert "\n\n\n" not in md


def test_the_first_message_opens_with_a_header_and_the_date():
    (text, blocks), *_ = minutes_messages(MEETING, TEXTS)
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Minutes · Meeting 3 · "
                                                    "Southwark Care Homes"}}
    assert blocks[1]["type"] == "context" and "Monday 23 November 2026, 10:00–11:30" in str(blocks[1])
    assert text.startswith("Minutes · Meeting 3 · Southwark Care Homes\nMonday 23 November 2026")
    assert blocks[2]["type"] == "section" and blocks[3]["type"] == "divider"


def test_each_theme_is_its_own_section():
    parts = minutes_sections(MEETING, TEXTS)
    assert [p.splitlines()[0] for p in parts] == [
        "*Attendance*", "*Ground rules (version 2)*", "*Partnership agreement (version 1)*", "*Themes*",
        "*Creating Community*", "*Actions (2)*", "*Feedback*", "*Next meeting*"]
    assert "---section---" not in slack_text(MEETING)


def test_sparse_minutes_leave_out_empty_sections():
    md, slack = minutes_markdown(SPARSE, TEXTS), slack_text(SPARSE)
    for word in ("Ground rules", "Partnership agreement", "Themes", "Creating Community", "Actions", "Feedback",
                 "Next meeting", "Apologies"):
        assert word not in md and word not in slack, word
    assert "## Attendance" in md and "*Attended (1):* Sam Okafor" in slack
    assert "Tuesday 1 December 2026, 14:00\n" in md
    assert "\n\n\n" not in md


def test_a_meeting_with_nothing_recorded_still_posts_its_header():
    empty = MinutesData(group="Lambeth", number=2, date="Tuesday 1 December 2026", started="14:00", ended=None)
    [(text, blocks)] = minutes_messages(empty, TEXTS)
    assert [b["type"] for b in blocks] == ["header", "context"] and text
    assert "##" not in minutes_markdown(empty, TEXTS)


def huge() -> MinutesData:
    long = "We have noticed that residents enjoy the garden much more when staff have time to sit with them. " * 4
    themes = tuple(ThemeMinutes(f"Theme {t}", "A description.",
                                working_well=tuple(Said(f"Person {i}", f"[{t}-{i}] {long}") for i in range(20)),
                                at_its_best=tuple(Said(f"Person {i}", f"[{t}-b{i}] {long}") for i in range(20)))
                   for t in range(8))
    actions = tuple(ActionMinutes(f"A-{i}", f"Action {i}: {long}", f"Owner {i}", f"Agency {i}", "Fri 30 January 2027",
                                  "Theme 1", prerequisites=long, volunteer=f"Volunteer {i}", agency_in_group=i % 2 == 0)
                    for i in range(60))
    feedback = tuple(FeedbackMinutes(f"Person {i}", i % 3 != 0, f"Felt {i} {long}", f"Took {i} {long}", 1 + i % 5)
                     for i in range(30))
    return MinutesData(group="G" * 300, number=12, date="Monday 23 November 2026", started="10:00", ended="12:00",
                       attended=tuple(Person(f"Person {i}", f"Organisation {i}") for i in range(60)),
                       rules_version=3, rules=tuple(long for _ in range(30)), agreement_version=2,
                       signed=tuple(f"Person {i}" for i in range(30)), themes=themes, actions=actions,
                       feedback=feedback, next_meeting="Monday 22 February 2027", feedback_named=True)


def test_a_huge_meeting_is_spread_over_messages_within_slacks_limits_and_nothing_is_cut():
    data = huge()
    messages = minutes_messages(data, TEXTS)
    assert len(messages) > 1
    for text, blocks in messages:
        assert 0 < len(text) <= 3000 and len(blocks) <= 50
        assert blocks[0]["type"] != "divider" and blocks[-1]["type"] != "divider"
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
    assert [b["type"] for b in messages[1][1]][0] == "section"
    shown = slack_text(data)
    for theme in data.themes:
        for said in theme.working_well + theme.at_its_best:
            assert f"• {said.name}: {said.text.strip()}" in shown
    assert shown.count("We have noticed") == minutes_markdown(data, TEXTS).count("We have noticed")
    assert all(f"*A-{i}*" in shown for i in range(60)) and "Volunteer 59 will invite them" in shown
    assert "Person 29: rated the meeting 5 out of 5" in shown and "Monday 22 February 2027" in shown


def test_user_text_is_escaped_for_slack_and_does_not_break_the_markdown_table():
    nasty = "<script>alert('x')</script> Tea & cake | biscuits"
    data = MinutesData(group="A & B <Homes>", number=1, date="Monday 23 November 2026", started="10:00", ended=None,
                       attended=(Person("Siobhán O'Neill", "Kith & Kin"),),
                       themes=(ThemeMinutes("Creating Community", "d", (Said("Siobhán O'Neill", nasty),)),),
                       actions=(ActionMinutes("A-1", nasty + "\nsecond line", "Siobhán O'Neill", "Kith | Kin"),),
                       feedback=(FeedbackMinutes("Siobhán O'Neill", True, nasty),))
    slack = slack_text(data)
    assert "&lt;script&gt;alert('x')&lt;/script&gt; Tea &amp; cake | biscuits" in slack
    assert "Kith &amp; Kin" in slack and "Siobhán O'Neill" in slack
    assert "<script>" not in slack and "&#39;" not in slack and "&amp;amp;" not in slack
    messages = minutes_messages(data, TEXTS)
    assert messages[0][1][0]["text"]["text"] == "Minutes · Meeting 1 · A & B <Homes>"  # plain text: no escaping
    assert "<Homes>" not in messages[0][0] and "&#39;" not in messages[0][0]
    md = minutes_markdown(data, TEXTS)
    row = next(line for line in md.splitlines() if line.startswith("| A-1 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # six columns: the user's | is escaped
    assert "Tea & cake \\| biscuits<br>second line" in row and "Kith \\| Kin" in row
    assert "&#39;" not in md


@pytest.mark.parametrize("data", [MEETING, SPARSE, huge()], ids=["small", "sparse", "huge"])
def test_the_blocks_pass_slack_sdks_own_checks(data):
    for _, blocks in minutes_messages(data, TEXTS):
        for block in blocks:
            parsed = Block.parse(block)
            assert parsed is not None
            parsed.validate_json()


def test_feedback_without_names_says_so_and_shows_no_name():
    data = replace(MEETING, feedback=tuple(replace(f, name="") for f in MEETING.feedback), feedback_named=False)
    shown, md = slack_text(data), minutes_markdown(data, TEXTS)
    for text in (shown, md):
        assert "Shown without names (the group's setting)." in text
        assert "Someone: rated the meeting 5 out of 5" in text and "did not attend" not in text
    assert "Felt: Listened to" in shown
    chairs = slack_text(replace(MEETING, chairs_copy=True))
    assert "The chairs' copy, with names: only you see it." in chairs and "Priya Shah: rated the meeting 5" in chairs
