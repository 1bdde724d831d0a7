"""The stage table: order, moves, and forgiving lookup by number, key or alias."""

import pytest

from bot.domain import stages
from bot.domain.errors import BadInput
from bot.domain.stages import StageKey

PLAN = stages.plan(follow_up=False)


def test_a_first_meeting_runs_the_method_in_order_and_closes():
    assert [s.key for s in PLAN] == [StageKey.CHECK_IN, StageKey.GROUND_RULES, StageKey.AGREEMENT, StageKey.THEMES,
                                     StageKey.ACTIONS, StageKey.FEEDBACK, StageKey.CLOSE]


def test_each_theme_is_walked_twice_first_what_works_then_the_vision():
    assert stages.theme_steps(["A", "B"]) == [("A", "working_well"), ("A", "at_its_best"), ("B", "working_well"),
                                             ("B", "at_its_best")]


@pytest.mark.parametrize(("current", "after", "before"), [
    (StageKey.CHECK_IN, StageKey.GROUND_RULES, None),
    (StageKey.GROUND_RULES, StageKey.AGREEMENT, StageKey.CHECK_IN),
])
def test_each_stage_knows_its_neighbours(current, after, before):
    nxt, prev = stages.following(PLAN, current), stages.preceding(PLAN, current)
    assert (nxt.key if nxt else None) == after
    assert (prev.key if prev else None) == before


@pytest.mark.parametrize(("typed", "key"), [
    ("2", StageKey.GROUND_RULES), ("Ground Rules", StageKey.GROUND_RULES), ("ground_rules", StageKey.GROUND_RULES),
    ("  partnership   agreement ", StageKey.AGREEMENT), ("check-in", StageKey.CHECK_IN), ("1", StageKey.CHECK_IN),
])
def test_stages_are_found_by_number_key_or_alias(typed, key):
    assert stages.find(PLAN, typed).key == key


@pytest.mark.parametrize("typed", ["lunch", "0", "99", ""])
def test_an_unknown_stage_names_the_valid_ones(typed):
    with pytest.raises(BadInput) as err:
        stages.find(PLAN, typed)
    assert err.value.code == "unknown_stage" and "ground_rules" in err.value.params["stages"]


def test_every_stage_has_an_exit_guard_and_a_method_step():
    for s in stages.STAGES:
        assert s.method_step is None or 8 <= s.method_step <= 14
        assert isinstance(s.exit_guard, stages.ExitGuard)
