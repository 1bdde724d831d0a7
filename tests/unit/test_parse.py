"""Slash-command grammar: roles with organisations, and the errors that show the right form."""

import pytest

from bot.domain.errors import BadInput
from bot.domain.roles import Role
from bot.services.agreement import parse_rules
from handlers.commands.parse import parse_role, split


def test_a_role_with_a_quoted_organisation_is_understood():
    assert parse_role('<@U123|alex> manager organisation "Tower Bridge Care Home"') == (
        "U123", Role.MANAGER, "Tower Bridge Care Home")


@pytest.mark.parametrize("role", ["co-chair", "Co-Chair", "cochair", "co_chair"])
def test_co_chair_is_accepted_however_it_is_spelled(role):
    assert parse_role(f"<@U1> {role}")[1] is Role.CO_CHAIR


@pytest.mark.parametrize("text", ["", "@alex manager", "<@U1> boss", "<@U1>", "<@U1> manager organisation",
                                  "<@U1> manager from Tower Bridge"])
def test_bad_role_commands_are_refused_with_the_usage(text):
    with pytest.raises(BadInput) as err:
        parse_role(text)
    assert err.value.code == "role_usage"


def test_subcommands_are_split_and_lower_cased():
    assert split("  GOTO ground rules ") == ("goto", "ground rules")
    assert split("") == ("", "")


def test_rules_typed_with_bullets_or_numbers_become_clean_lines():
    assert parse_rules("1. Be on time\n• Listen\n\n- Keep confidences  ") == ["Be on time", "Listen",
                                                                          "Keep confidences"]


def test_an_empty_rule_set_is_refused():
    with pytest.raises(BadInput):
        parse_rules(" \n \n")


@pytest.mark.parametrize(("text", "expected"), [
    ("A-12 in progress Met the CCG", ("A-12", "in progress", "Met the CCG")),
    ("A-12 in-progress Met the CCG", ("A-12", "in-progress", "Met the CCG")),
    ("a12 done", ("a12", "done", None)),
    ("A-3 not started yet", ("A-3", "not started", "yet")),
    ("A-3", ("A-3", "", None)),
])
def test_report_lines_split_into_id_status_and_note(text, expected):
    from handlers.commands.actions import split_report

    assert split_report(text) == expected
