"""`make demo` plays a whole first meeting and prints it: this keeps it from breaking silently."""

from __future__ import annotations

import io

from tests.standin.demo import run_demo


def test_the_demo_plays_a_whole_first_meeting_and_prints_it(capsys):
    out = io.StringIO()
    code = run_demo(out=out)
    assert code == 0, capsys.readouterr().err
    printed = out.getvalue()
    flat = " ".join(printed.split())  # the transcript wraps long lines; compare words, not line breaks

    for heading in ["=== Before the meeting: Sam sets up the group",
                    "=== Stage 1 of 3 · Welcome and check-in",
                    "=== Stage 2 of 3 · Ground rules",
                    "=== Stage 3 of 3 · Partnership agreement",
                    "=== Everyone in the room signs the agreement ===",
                    "=== Sam closes the meeting ===",
                    "=== The next morning: Grace from Healthwatch"]:
        assert heading in printed, heading

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

    # Grace, absent, signs the next morning after the meeting has ended
    after_the_end = flat[flat.index("*Meeting 1 has ended.*"):]
    assert "Grace Lee clicked [ Sign the agreement ]" in after_the_end
    assert "(only Grace Lee sees) Bot: Thank you: you have signed version 1" in flat
    assert "Meeting 1 (ended): 6 attended" in printed
    assert "Signed by 7 of 7:" in printed and "• Grace Lee, Tue 24 Nov 2026" in printed
