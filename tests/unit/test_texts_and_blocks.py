"""Every template renders; builders stay inside Slack's limits and escape only what Slack needs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.models.views import View

from bot.domain.errors import DomainError
from bot.domain.roles import Role
from bot.domain.snapshots import AgreementSnap, GroupSnap, MeetingSnap, MemberSnap, StageState
from bot.domain.stages import STAGES
from bot.texts import TemplateError, Texts, slack_escape
from handlers.blocks.cards import agreement_message, stage_card
from handlers.blocks.common import chunks
from handlers.blocks.modals import agreement_modal, contribute_modal, rules_modal, setup_modal
from handlers.errors import describe

TEXTS = Texts()
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
MEMBERS = tuple(MemberSnap(f"U{i}", Role.MEMBER, None, f"Member {i}") for i in range(40))
GROUP = GroupSnap(1, "T1", "C1", "Southwark", "my_home_life", "Europe/London", MEMBERS)
MEETING = MeetingSnap(7, 1, 1, "running", "check_in", False, NOW)


def test_the_slack_filter_escapes_only_what_mrkdwn_needs():
    assert slack_escape("We've <b> & 'quotes'") == "We've &lt;b&gt; &amp; 'quotes'"


@pytest.mark.parametrize("stage", [s.key for s in STAGES])
def test_every_stage_card_builds_within_limits(stage):
    state = StageState(GROUP, MEETING, stage, 1, 3, present=tuple(m.user_id for m in MEMBERS))
    text, blocks = stage_card(state, TEXTS)
    assert text and len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)


def test_a_long_agreement_is_split_into_sections_not_cut():
    body = "\n".join(f"{i}. We will always listen carefully to one another." for i in range(200))
    agreement = AgreementSnap(3, 1, body, "U1", NOW, "C1", "1.1", unsigned=tuple(m.user_id for m in MEMBERS))
    _, blocks = agreement_message(agreement, GROUP, TEXTS)
    shown = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "199. We will always listen" in shown and len(blocks) <= 50


def test_chunks_split_at_line_ends_under_the_limit():
    parts = chunks("x" * 2500 + "\n" + "y" * 2500)
    assert parts == ["x" * 2500, "y" * 2500]


def test_modals_pass_slack_sdks_own_checks():
    for view in (contribute_modal(1, "ground_rules", TEXTS), rules_modal(1, ["a"] * 2000, 1, TEXTS),
                 agreement_modal(1, ["b"] * 10, 2, TEXTS), setup_modal("C1", "U1", GROUP, TEXTS)):
        View(**view).validate_json()
        assert len(view["title"]["text"]) <= 24


@pytest.mark.parametrize("error", [
    DomainError("not_chair", chairs=["U1", "U2"]), DomainError("unknown_stage", given="x", stages=["check_in"]),
    DomainError("meeting_running", number=2, stage="ground_rules"), DomainError("contribution_too_long", length=5000,
                                                                                 limit=3000),
    DomainError("agreement_superseded", version=1, current=2), DomainError("user_not_in_channel", user="U9"),
    DomainError("no_such_code_at_all"),
])
def test_every_error_reads_as_a_sentence(error):
    message = describe(error, TEXTS)
    assert message and "{" not in message and "None" not in message


def test_a_broken_template_stops_the_boot_with_a_clear_message(tmp_path: Path):
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[2] / "templates", tmp_path / "t")
    (tmp_path / "t" / "ui.yml").write_text("card_header: '{{ number'\n")
    with pytest.raises(TemplateError, match="ui.yml"):
        Texts(tmp_path / "t")


def test_a_message_code_defined_in_two_files_stops_the_boot(tmp_path: Path):
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[2] / "templates", tmp_path / "t")
    (tmp_path / "t" / "messages_zz.yml").write_text("report_usage: Another command's usage\n")
    with pytest.raises(TemplateError, match="'report_usage' is already defined in messages_actions.yml"):
        Texts(tmp_path / "t")


def test_no_template_has_an_angle_bracket_slack_would_read_as_a_link():
    import re

    for path in (Path(__file__).resolve().parents[2] / "templates").rglob("*.yml"):
        assert not re.search(r"<(?![@#!])[a-z]", path.read_text()), f"{path.name}: write &lt; and &gt;"
