"""The resident-data guardrail: the NHS mod-11 check, each kind of identifier, hard negatives, and the
measured rates on the labelled sentences (tests/data/guardrail_sentences.yml)."""

from __future__ import annotations

import pytest

from bench.guardrail import load, measure
from bot.domain.guardrail import Kind, nhs_check_digit_ok, scan


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "6260181590", "4830166134", "7960308241"])
def test_a_valid_nhs_number_passes_the_mod_11_check(number: str) -> None:
    assert nhs_check_digit_ok(number)


@pytest.mark.parametrize("number", [
    "9434765918",  # the right digits with the wrong check digit
    "6260181591",
    "1234567890",  # the check works out at 10: no NHS number can end this way
    "0000000000",  # passes the arithmetic, but is a placeholder, not a number
    "943476591",  # nine digits
    "94347659199",  # eleven
    "943476591x",
])
def test_an_invalid_nhs_number_fails_the_mod_11_check(number: str) -> None:
    assert not nhs_check_digit_ok(number)


@pytest.mark.parametrize("text", ["NHS 943 476 5919", "nhs no 943-476-5919", "number 9434765919 please"])
def test_an_nhs_number_is_found_with_or_without_spaces_or_dashes(text: str) -> None:
    assert scan(text) == {Kind.NHS_NUMBER}


@pytest.mark.parametrize("text", [
    "NHS 943 476 5918",  # fails its check
    "Call us on 0161 496 0000",
    "Order 94347659190 arrived",  # part of a longer number
    "943 4765 919 is the order number",  # not grouped 3-3-4
])
def test_numbers_that_are_not_nhs_numbers_are_left_alone(text: str) -> None:
    assert Kind.NHS_NUMBER not in scan(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("DOB 14/02/1936, waiting for the dentist", Kind.DATE_OF_BIRTH),
    ("born on 12 March 1938", Kind.DATE_OF_BIRTH),
    ("aged 91, 3 May 1935 on the form", Kind.DATE_OF_BIRTH),
    ("Room 12, Mrs Patel, needs a new mattress", Kind.ROOM_AND_NAME),
    ("Mr Hughes in rm 4 asked for the chiropodist", Kind.ROOM_AND_NAME),
    ("Mrs Patel fell twice last week", Kind.NAMED_RESIDENT),
    ("Safeguarding referral made for Mr Clarke", Kind.NAMED_RESIDENT),
    ("Arthur Bennett passed away on Sunday", Kind.NAMED_RESIDENT),
])
def test_each_kind_of_identifier_is_named(text: str, kind: Kind) -> None:
    assert kind in scan(text)


@pytest.mark.parametrize("text", [
    "Residents enjoyed the garden.",
    "Mrs Brown from the council said safeguarding referrals are up.",
    "Meeting room 3 is booked for 14 March 2026.",
    "The next meeting is on 3 February 2026.",
    "Please call 0300 123 4567.",
    "East Kent Hospitals University NHS Foundation Trust will join us.",
    "Sarah Jones, the home manager, shared how they cut falls.",
    "Born and raised locally, our carers know the area.",
])
def test_hard_negatives_are_not_flagged(text: str) -> None:
    assert scan(text) == frozenset()


def test_scan_returns_kinds_and_never_the_text() -> None:
    found = scan("Mrs Patel in room 12 fell, NHS 943 476 5919, DOB 14/02/1936")
    assert found == {Kind.NHS_NUMBER, Kind.DATE_OF_BIRTH, Kind.ROOM_AND_NAME, Kind.NAMED_RESIDENT}
    assert all("Patel" not in k and "943" not in k for k in found)


def test_the_labelled_set_is_big_enough_and_balanced() -> None:
    items = load()
    residents = sum(1 for s in items if s.resident)
    assert len(items) >= 200
    assert residents == len(items) - residents
    held_out = [s for s in items if s.held_out]
    assert 0.25 <= len(held_out) / len(items) <= 0.4
    assert len({s.text for s in items}) == len(items)


@pytest.mark.parametrize("portion", ["all", "held out"])
def test_detection_is_over_95_percent_and_false_alarms_under_5_percent(portion: str) -> None:
    items = load()
    part = items if portion == "all" else [s for s in items if s.held_out]
    rates, _ = measure(part)
    assert rates.detection > 0.95
    assert rates.false_alarm < 0.05
