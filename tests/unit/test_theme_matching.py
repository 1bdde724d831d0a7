"""Theme names typed loosely resolve to the canonical name: exact, then unique prefix, then unique substring."""

from __future__ import annotations

import pytest

from bot.domain.errors import BadInput
from bot.domain.themes import match_theme, match_themes, normalise
from bot.texts import Texts

SETS = Texts().theme_sets
MY_HOME_LIFE = [t.name for t in SETS["my_home_life"].themes]
PERSONALISATION = [t.name for t in SETS["personalisation"].themes]


@pytest.mark.parametrize(("typed", "expected"), [
    ("Improving Health & Healthcare", "Improving Health & Healthcare"),
    ("IMPROVING HEALTH AND HEALTHCARE", "Improving Health & Healthcare"),
    ("  improving   health &healthcare. ", "Improving Health & Healthcare"),
    ("improving health", "Improving Health & Healthcare"),
    ("health", "Improving Health & Healthcare"),
    ('"Creating Community"', "Creating Community"),
    ("keeping workforce", "Keeping Workforce Fit for Purpose"),
    ("k", "Keeping Workforce Fit for Purpose"),
    ("end of life", "Supporting Good End of Life"),
    ("culture", "Promoting a Positive Culture"),
    ("sharing decision making", "Sharing Decision-making"),
    ("transitions", "Managing Transitions"),
])
def test_my_home_life_names_are_found_however_they_are_typed(typed, expected):
    assert match_theme(typed, MY_HOME_LIFE) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("coproduction", "Co-production"),
    ("co production", "Co-production"),
    ("person centred", "Person-centred approaches"),
    ("positive culture", "Positive culture"),
    ("end", "End of life care"),
    ("choice & control", "Choice and control"),
])
def test_personalisation_names_are_found_however_they_are_typed(typed, expected):
    assert match_theme(typed, PERSONALISATION) == expected


def test_an_exact_name_wins_over_a_longer_name_it_begins():
    assert match_theme("culture", ["Culture change", "Culture"]) == "Culture"


def test_a_prefix_wins_over_a_name_that_merely_contains_the_text():
    assert match_theme("care", ["Day care", "Care planning"]) == "Care planning"


@pytest.mark.parametrize(("typed", "matches"), [
    ("m", ["Maintaining Identity", "Managing Transitions"]),
    ("s", ["Sharing Decision-making", "Supporting Good End of Life"]),
    ("ing", ["Maintaining Identity", "Sharing Decision-making", "Creating Community", "Managing Transitions",
             "Improving Health & Healthcare", "Supporting Good End of Life", "Keeping Workforce Fit for Purpose",
             "Promoting a Positive Culture"]),
])
def test_text_that_fits_several_names_is_refused_with_the_candidates(typed, matches):
    with pytest.raises(BadInput) as err:
        match_theme(typed, MY_HOME_LIFE)
    assert err.value.code == "ambiguous_theme"
    assert err.value.params == {"given": typed, "matches": matches}


@pytest.mark.parametrize("typed", ["dignity", "he", "Improving Health & Social Care", "xyz"])
def test_text_that_fits_no_name_is_refused_with_the_valid_names(typed):
    # "he" is inside "Health" but too short to count as a substring match.
    with pytest.raises(BadInput) as err:
        match_theme(typed, MY_HOME_LIFE)
    assert err.value.code == "unknown_theme"
    assert err.value.params == {"given": typed, "valid": MY_HOME_LIFE}


@pytest.mark.parametrize("typed", ["", "   ", "?!", ".", " - "])
def test_nothing_typed_asks_for_a_theme(typed):
    with pytest.raises(BadInput) as err:
        match_theme(typed, MY_HOME_LIFE)
    assert err.value.code == "themes_empty"
    assert err.value.params == {"valid": MY_HOME_LIFE}


@pytest.mark.parametrize(("text", "expected"), [
    ("Managing transitions, Creating community", ["Managing Transitions", "Creating Community"]),
    ("creating community;managing transitions", ["Creating Community", "Managing Transitions"]),
    ("health, Improving Health & Healthcare, culture, health", ["Improving Health & Healthcare",
                                                               "Promoting a Positive Culture"]),
    ("end of life,", ["Supporting Good End of Life"]),
    (" , keeping workforce , , ", ["Keeping Workforce Fit for Purpose"]),
])
def test_a_list_of_themes_keeps_order_and_drops_repeats(text, expected):
    assert match_themes(text, MY_HOME_LIFE) == expected


@pytest.mark.parametrize("text", ["", "  ", " , ;, "])
def test_an_empty_list_is_refused(text):
    with pytest.raises(BadInput) as err:
        match_themes(text, MY_HOME_LIFE)
    assert err.value.code == "themes_empty"


def test_one_bad_theme_in_a_list_is_named():
    with pytest.raises(BadInput) as err:
        match_themes("Managing transitions, dignity", MY_HOME_LIFE)
    assert err.value.code == "unknown_theme" and err.value.params["given"] == "dignity"


def test_normalising_ignores_case_punctuation_spacing_and_ampersands():
    assert normalise("  Improving  Health & Health-care. ") == normalise("improving health and healthcare")
