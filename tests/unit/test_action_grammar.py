"""`/actions add` in one line, its refusals, and the words of every parsing message."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from itertools import permutations
from pathlib import Path

import pytest
import yaml

from bot.domain.errors import BadInput
from bot.domain.themes import match_theme, match_themes
from bot.domain.when import parse_day
from handlers.commands.action_grammar import MAX_DESCRIPTION, ActionLine, parse_action_add
from tests.harness import shared_texts

EXAMPLE = ('Arrange falls training for night staff owner <@U123|alex> agency "NHS Falls Team" '
           "theme Improving Health due next Friday")
CLAUSES = {"agency": '"NHS Falls Team"', "theme": "Improving Health", "due": "next Friday"}


def test_the_documented_example_is_understood():
    assert parse_action_add(EXAMPLE) == ActionLine("Arrange falls training for night staff", "U123",
                                                   "NHS Falls Team", "Improving Health", "next Friday")


@pytest.mark.parametrize("order", list(permutations(CLAUSES)))
def test_the_optional_clauses_come_in_any_order(order):
    text = "Fix the hoist owner <@U1> " + " ".join(f"{k} {CLAUSES[k]}" for k in order)
    assert parse_action_add(text) == ActionLine("Fix the hoist", "U1", "NHS Falls Team", "Improving Health",
                                                "next Friday")


@pytest.mark.parametrize(("text", "expected"), [
    ("Fix the hoist owner <@U1>", ActionLine("Fix the hoist", "U1")),
    ("Fix the hoist owner <@W9ABC|sam smith>", ActionLine("Fix the hoist", "W9ABC")),
    ("Fix the hoist OWNER <@U1> Due tomorrow THEME health", ActionLine("Fix the hoist", "U1", None, "health",
                                                                        "tomorrow")),
    ("Fix the hoist owner <@U1> agency “Tower Bridge Care Home”", ActionLine("Fix the hoist", "U1",
                                                                             "Tower Bridge Care Home")),
    ('Fix the hoist owner <@U1> agency "Theme Park Trust" due "in 2 weeks"',
     ActionLine("Fix the hoist", "U1", "Theme Park Trust", None, "in 2 weeks")),
    ("Fix the hoist owner <@U1> agency   Age   UK  ", ActionLine("Fix the hoist", "U1", "Age UK")),
    # Keywords before the owner are part of the description.
    ("Agree the theme and due date for the audit owner <@U1>",
     ActionLine("Agree the theme and due date for the audit", "U1")),
    # "owner" not followed by a mention is just a word of the description.
    ("Ask the owner about parking owner <@U2|sam> due Friday",
     ActionLine("Ask the owner about parking", "U2", None, None, "Friday")),
    ('"Review owner, agency and due dates" owner <@U1>', ActionLine("Review owner, agency and due dates", "U1")),
    ("  Invite <@U7> to the next meeting   owner <@U1>  ", ActionLine("Invite <@U7> to the next meeting", "U1")),
])
def test_lines_are_understood(text, expected):
    assert parse_action_add(text) == expected


def test_a_description_of_exactly_the_limit_is_accepted():
    assert parse_action_add("x" * MAX_DESCRIPTION + " owner <@U1>").description == "x" * MAX_DESCRIPTION


def test_the_result_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_action_add(EXAMPLE).owner_id = "U2"  # type: ignore[misc]


@pytest.mark.parametrize(("text", "code", "params"), [
    ("", "action_usage", {}),
    ("   ", "action_usage", {}),
    ("owner <@U1>", "action_no_description", {}),
    ('"" owner <@U1> due Friday', "action_no_description", {}),
    ("Fix the hoist", "action_no_owner", {}),
    ("Fix the hoist owner @alex", "action_no_owner", {}),
    ("Fix the hoist owner", "action_no_owner", {}),
    ("Fix the hoist due Friday", "action_no_owner", {}),
    ("Fix the hoist owner <@U1> due Friday due Monday", "action_repeated_clause", {"keyword": "due"}),
    ("Fix the hoist owner <@U1> theme a THEME b", "action_repeated_clause", {"keyword": "theme"}),
    ("Fix the hoist owner <@U1> owner <@U2>", "action_repeated_clause", {"keyword": "owner"}),
    ("Fix the hoist owner <@U1> and <@U2|sam>", "action_stray_text", {"given": "and @sam"}),
    ("Fix the hoist owner <@U1> by Friday", "action_stray_text", {"given": "by Friday"}),
    ("Fix the hoist owner <@U1> agency", "action_empty_clause", {"keyword": "agency"}),
    ("Fix the hoist owner <@U1> agency theme Health", "action_empty_clause", {"keyword": "agency"}),
    ('Fix the hoist owner <@U1> due ""', "action_empty_clause", {"keyword": "due"}),
    ("x" * 501 + " owner <@U1>", "action_description_long", {"length": 501, "limit": 500}),
    ("Fix owner <@U1> agency " + "a" * 201, "organisation_too_long", {"limit": 200}),
])
def test_bad_lines_are_refused_with_a_code(text, code, params):
    with pytest.raises(BadInput) as err:
        parse_action_add(text)
    assert (err.value.code, err.value.params) == (code, params)


def test_the_raw_theme_and_due_resolve_with_the_domain_functions():
    line = parse_action_add(EXAMPLE)
    names = [t.name for t in shared_texts().theme_sets["my_home_life"].themes]
    assert match_theme(line.theme or "", names) == "Improving Health & Healthcare"
    assert str(parse_day(line.due or "", "Europe/London", datetime(2026, 11, 23, 10, tzinfo=UTC))) == "2026-11-27"


# Every code in messages_parsing.yml, raised for real so that the params are the ones the code sends.
def _raised(call, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(BadInput) as err:
        call(*args)
    return err.value


NAMES = ["Improving Health & Healthcare", "Managing Transitions", "Maintaining Identity"]
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
RAISED = [
    _raised(parse_day, "whenever <!channel>", "Europe/London", NOW),
    _raised(parse_day, "", "Europe/London", NOW),
    _raised(match_theme, "dignity", NAMES),
    _raised(match_theme, "ma", NAMES),
    _raised(match_themes, " , ", NAMES),
    *(_raised(parse_action_add, text) for text in [
        "", "owner <@U1>", "Fix it", "Fix it owner <@U1> due a due b", "Fix it owner <@U1> owner <@U2>",
        "x" * 501 + " owner <@U1>", "Fix it owner <@U1> and <@U2|sam>", "Fix it owner <@U1> agency"]),
]
PARSING_CODES = set(yaml.safe_load((Path(__file__).resolve().parents[2] / "templates" / "messages_parsing.yml")
                                   .read_text(encoding="utf-8")))


def test_every_parsing_code_is_raised_by_some_example():
    assert {e.code for e in RAISED} == PARSING_CODES


@pytest.mark.parametrize("error", RAISED, ids=lambda e: e.code)
def test_every_parsing_message_reads_as_a_sentence(error):
    message = shared_texts().say(error.code, **error.params)
    assert message != shared_texts().say("internal_error")
    assert "{" not in message and "}" not in message and "None" not in message
    assert "<!channel>" not in message  # what was typed is escaped, never a live @channel
    for name in error.params.get("valid", []) + error.params.get("matches", []):
        assert f"• {name.replace('&', '&amp;')}" in message.splitlines()
