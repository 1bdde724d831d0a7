"""`make demo` plays a whole first meeting and its follow-up and prints them: this keeps it from breaking
silently."""

from __future__ import annotations

import io

from tests.standin.demo import run_demo


def test_the_demo_plays_a_whole_first_meeting_and_prints_it(capsys):
    out = io.StringIO()
    code = run_demo(out=out)
    assert code == 0, capsys.readouterr().err
    printed = out.getvalue()
    flat = " ".join(printed.split())  # the transcript wraps long lines; compare words, not line breaks

    headings = ["=== Before the meeting: Sam sets up the group",
                "=== Stage 1 of 7 · Welcome and check-in",
                "=== Grace, who is at a Healthwatch event today, sends her apologies",
                "=== Stage 2 of 7 · Ground rules",
                "=== Stage 3 of 7 · Partnership agreement",
                "=== Everyone in the room signs the agreement ===",
                "=== Stage 4 of 7 · Themes: Sam picks three of the eight My Home Life themes",
                "=== Theme 2 of 3, Improving Health & Healthcare: What will it look like at its best? ===",
                "=== Stage 5 of 7 · Actions",
                "=== Stage 6 of 7 · Feedback",
                "=== Stage 7 of 7 · Close",
                "=== The next morning: Grace from Healthwatch",
                "=== Sam exports the minutes as a file",
                "=== Between meetings: two owners report back",
                "=== Meeting 2 · Stage 1 of 8 · Welcome back",
                "=== Stage 2 of 8 · Ground rules: version 1 is on the card",
                "=== Sam adopts version 2",
                "=== Stage 3 of 8 · Partnership agreement: the group keeps version 1",
                "=== Stage 4 of 8 · Report back",
                "=== Sam closes meeting 2 early",
                "=== Alex assesses Tower Bridge Care Home with /assess"]
    at = [printed.find(heading) for heading in headings]
    assert all(i >= 0 for i in at), [h for h, i in zip(headings, at, strict=True) if i < 0]
    assert at == sorted(at), "the narrator's headings are out of order"

    # what members said, attributed to them by name
    assert "↳ Fatima Idris (in thread): Fatima Idris, care homes lead nurse at NHS South East London" in flat
    assert "Priya Shah submitted 'Check in' modal" in flat and "Calm and ready." in flat
    assert "(only Tom Reilly sees) Bot: Only the chair" in flat  # a non-chair pressing "Next stage"

    # the adopted rules (with Fatima's edited words) and the published agreement, in Slack and in the database
    assert "GROUND RULES · VERSION 1" in printed and "PARTNERSHIP AGREEMENT · VERSION 1" in printed
    assert "Ground rules · version 1, adopted by Sam Okafor" in printed
    assert "2. What we share about individual residents, families or staff stays in this group." in printed
    assert "Partnership agreement · version 1, published by Sam Okafor" in printed
    assert "• Keep residents, and the people who love them, at the heart of every conversation." in printed

    # themes: answers by thread and by form, the card counting them
    assert "Bot: This meeting will cover 3 themes: Managing Transitions, Improving Health & Healthcare, " \
           "Creating Community." in flat
    assert "↳ Alex Morgan (in thread): Every new resident gets a buddy on the staff team" in flat
    assert "Fatima Idris submitted 'Your answer' modal: What is currently working well? The hospital discharge " \
           "team now rings the home the day before" in flat
    assert "THEMES: CREATING COMMUNITY — now: 3 answers from 3 people" in flat

    # actions: by form (one for an agency outside the group, with a volunteer) and by command, each told by DM
    assert "↳ Bot (in thread): ✅ A-2 Agree a falls pathway" in flat
    assert "Priya Shah will follow up with London Ambulance Service and invite them to join the group." in flat
    assert "Bot: Thank you for offering to follow up A-2" in flat
    assert "↳ Bot (in thread): ✅ A-4 Send every home the hospital discharge checklist" in flat
    assert "Target date: Fri 27 November 2026" in flat  # "due next Friday", typed on Monday 23 November
    assert "↳ Bot (in thread): ✅ A-5 Bring the CQC's oral health findings" in flat
    assert "ACTIONS — now: A-5 Bring the CQC's oral health findings" in flat and "5 actions agreed" in flat

    # feedback: the card counts it, the minutes say it
    assert "FEEDBACK — now: 6 of 6 attendees gave feedback" in flat

    # Close: the minutes, posted in full before anything else happens, and what they say
    ended = flat.index("Bot: Meeting 1 has ended.")
    minutes = flat[flat.index("Bot: MINUTES · MEETING 1 · SOUTHWARK CARE HOME STRATEGY GROUP"):
                   flat.index("=== The next morning")]
    assert ended < flat.index("MINUTES · MEETING 1")
    for line in ["Attended (6): Sam Okafor", "Apologies (1): Grace Lee (Healthwatch Southwark)",
                 "Not yet signed (1): Grace Lee", "IMPROVING HEALTH & HEALTHCARE", "WHAT IT WILL LOOK LIKE AT ITS BEST",
                 "• Tom Reilly: Care homes are part of the high street, not hidden behind a keypad door.",
                 "ACTIONS (5)", "• A-5 Bring the CQC's oral health findings",
                 "London Ambulance Service is not in the group: Priya Shah will invite them.",
                 "6 people gave feedback; average rating 4.7 out of 5.",
                 "Shown without names (the group's setting).",
                 "• Someone: rated the meeting 5 out of 5 Felt: Listened to, not inspected. "
                 "Takes away: Borrowing Jo's school reading idea for Tower Bridge."]:
        assert line in minutes, line

    # Grace, absent, signs the next morning; Sam exports the minutes as a file
    after_the_end = flat[ended:]
    assert "Grace Lee clicked [ Sign the agreement ]" in after_the_end
    assert "(only Grace Lee sees) Bot: Thank you: you have signed version 1" in after_the_end
    assert "Sam Okafor: /group export minutes md [file uploaded: minutes-meeting-1.md]" in after_the_end

    # Slack's formatting codes never reach the reader
    for raw in ["*Meeting 1 has ended.*", ":white_check_mark:", "&amp;", "&lt;", "<@U"]:
        assert raw not in printed, raw

    # what the database holds
    assert "Meeting 1 (ended): 6 attended" in printed
    assert "Signed by 7 of 7:" in printed and "• Grace Lee, Tue 24 Nov 2026" in printed
    assert "Themes answered (3 chosen, 18 answers):" in printed
    assert "• Improving Health & Healthcare: 3 on what works well, 3 on what it will look like at its best" in flat
    assert "• A-2 Agree a falls pathway" in flat
    assert "owner Fatima Idris · agency London Ambulance Service · not in the group, Priya Shah will invite them " \
           "· due Wed 31 Mar 2027" in flat
    assert "• A-4 Send every home the hospital discharge checklist and the out-of-hours discharge contact " \
           "owner Fatima Idris · agency NHS South East London · due Fri 27 Nov 2026" in flat
    assert "Feedback: 6 of 6 attendees; 3 rated the meeting, 4.7 out of 5 on average" in flat
    assert "exported as minutes-meeting-1.md" in flat

    # The follow-up meeting: rules revisited, the agreement kept, a card per action, the report in the minutes
    follow_up = flat[flat.index("=== Meeting 2 · Stage 1 of 8"):]
    assert "[ Propose a rule ] [ Adopt a new version ] [ Keep version 1 ]" in follow_up
    assert "6. We start and finish on time, and the chair keeps us to it." in follow_up
    assert "Sam Okafor clicked [ Keep version 1 ] Bot: MEETING 2 · 4 OF 8 · REPORT BACK ON ACTIONS" in follow_up
    assert "2 of 5 actions reported · still to report: Alex Morgan (A-1), Fatima Idris (A-2), Tom Reilly (A-5)" \
        in follow_up
    assert "• 4 December 2026, Jo Bennett: in progress: Two schools said yes" in follow_up
    assert "5 of 5 actions reported" in follow_up and "✅ Reported by Sam Okafor" in follow_up
    minutes_2 = follow_up[follow_up.index("MINUTES · MEETING 2"):follow_up.index("What the bot remembered")]
    for line in ["GROUND RULES (VERSION 2)", "REPORT BACK ON ACTIONS (5)", "Owner: Fatima Idris · now: blocked",
                 "– Priya Shah: I'll bring the ambulance service's answer to the next meeting."]:
        assert line in minutes_2, line
    assert "Meeting 2 (ended, a follow-up): ground rules now version 2 (6 rules)" in flat
    assert "Reports on actions (5, every one kept):" in flat
