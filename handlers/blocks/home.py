"""The App Home tab: what waits for me (actions to report on, agreements to sign, check-ins), then my groups.

Every list is capped so the tab stays under Slack's 100 blocks however many groups and actions there are:
at most 1 + 1 + (2 + MAX_ACTIONS) + (3 * MAX_TO_SIGN + 1) + (MAX_CHECKINS + 1) + 1 + (3 * MAX_GROUPS + 1)
= 77 blocks. What is left out is counted ("and 3 more") and points to where the rest is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.domain.erased import mention
from bot.domain.snapshots import GroupSnap
from bot.domain.when import format_day
from bot.services.home import Glance, Home, HomeGroup
from bot.services.reports import MyAction
from bot.texts import Texts, slack_escape
from handlers.blocks.assessment import progress_table
from handlers.blocks.checkin import moment_label, week_label
from handlers.blocks.common import SECTION_LIMIT, actions, button, chunks, context, header, local_date
from handlers.ids import Act

MAX_ACTIONS, MAX_TO_SIGN, MAX_CHECKINS, MAX_GROUPS = 8, 4, 4, 15
AGREEMENT_EXCERPT = 1500  # characters of an agreement shown on Home; the channel message has it all
MAX_NAMES = 5  # unsigned members named in a chair's glance; more are only counted


def home_view(home: Home, texts: Texts) -> dict[str, Any]:
    blocks: list[Block] = [header(texts.ui("home_title"))]
    if not home.groups:
        blocks.append(_section(texts.ui("home_no_groups")))
    else:
        blocks.append(header(texts.ui("home_waiting_header")))
        waiting = [*_actions(home.actions, texts), *_agreements(home, texts), *_checkins(home, texts)]
        blocks += waiting or [_section(texts.ui("home_nothing_waiting"))]
        blocks.append(header(texts.ui("home_groups_header")))
        for item in home.groups[:MAX_GROUPS]:
            blocks += _group(item, texts)
        if len(home.groups) > MAX_GROUPS:
            rest = home.groups[MAX_GROUPS:]
            blocks.append(context(texts.ui("home_groups_more", n=len(rest), groups=_names(g.group for g in rest))))
    return View(type="home", blocks=blocks[:100]).to_dict()


def _actions(items: tuple[MyAction, ...], texts: Texts) -> list[Block]:
    if not items:
        return []
    blocks: list[Block] = [_section(texts.ui("home_actions_heading", n=len(items)))]
    for item in items[:MAX_ACTIONS]:
        a = item.action
        line = texts.ui("my_action_line", ref=a.ref, description=slack_escape(a.description),
                        group=slack_escape(item.group), agency=slack_escape(a.agency or "") or None,
                        due=format_day(a.due_date) if a.due_date else None, overdue=item.overdue,
                        status=texts.ui(f"status_{a.status}"))
        blocks.append(_section(line, button(texts.ui("report_button"), Act.REPORT_OPEN, str(a.id)), f"r:{a.id}"))
    if len(items) > MAX_ACTIONS:
        blocks.append(context(texts.ui("home_actions_more", n=len(items) - MAX_ACTIONS)))
    return blocks


def _agreements(home: Home, texts: Texts) -> list[Block]:
    blocks: list[Block] = []
    for item in home.to_sign[:MAX_TO_SIGN]:
        a, g = item.to_sign, item.group
        assert a is not None
        parts = chunks(a.text, AGREEMENT_EXCERPT)
        blocks += [_section(texts.ui("home_to_sign", group=slack_escape(g.name), version=a.version,
                                     date=local_date(a.published_at, g.timezone))),
                   _section(texts.ui("home_agreement_text", text=slack_escape(parts[0]) if parts else "",
                                     cut=len(parts) > 1,
                                     channel=a.channel_id or g.channel_id)),
                   actions(button(texts.ui("sign_button"), Act.SIGN, str(a.id), "primary"),
                           block_id=f"home-sign:{a.id}")]
    rest = home.to_sign[MAX_TO_SIGN:]
    if rest:
        blocks.append(context(texts.ui("home_to_sign_more", n=len(rest), groups=_names(g.group for g in rest))))
    return blocks


def _checkins(home: Home, texts: Texts) -> list[Block]:
    """The same Answer button as the check-in DM (handlers/blocks/checkin.py), so one handler opens the form."""
    blocks: list[Block] = []
    for c in home.checkins[:MAX_CHECKINS]:
        value = f"{c.group_id}:{c.week.isoformat()}"
        blocks.append(_section(texts.ui("home_checkin", group=slack_escape(c.group), week=week_label(c.week)),
                               button(texts.ui("checkin_button"), Act.ANSWER_CHECKIN, value, "primary"),
                               f"home-checkin:{value}"))
    rest = home.checkins[MAX_CHECKINS:]
    if rest:
        blocks.append(context(texts.ui("home_checkins_more", n=len(rest),
                                       groups=", ".join(slack_escape(c.group) for c in rest))))
    return blocks


def _group(item: HomeGroup, texts: Texts) -> list[Block]:
    g = item.group
    lines = [texts.ui("home_group", name=slack_escape(g.name), channel=g.channel_id, role=item.role.value)]
    if item.meeting:
        lines.append(texts.ui("home_meeting", number=item.meeting.number,
                              stage=texts.stage(item.meeting.stage, "title")))
    if item.next_meeting_at:
        lines.append(texts.ui("home_next_meeting", when=moment_label(item.next_meeting_at, g.timezone)))
    else:
        lines.append(texts.ui("home_no_next_meeting", chair=item.role.runs_meetings))
    blocks: list[Block] = [DividerBlock(), _section("\n".join(lines))]
    if item.glance is not None:
        blocks.append(_section(_glance(item.glance, g, texts)))
    if item.levels is not None:  # the self-assessment: a chair's whole group, or a manager's own home
        blocks.append(_section(progress_table(item.levels, texts)[:3000]))
    return blocks


def _glance(glance: Glance, group: GroupSnap, texts: Texts) -> str:
    lines = [texts.ui("home_glance_heading"),
             texts.ui("home_glance_actions", open=glance.open, overdue=glance.overdue, done=glance.done)]
    a = glance.agreement
    if a is None:
        lines.append(texts.ui("home_glance_no_agreement"))
    elif not a.unsigned:
        lines.append(texts.ui("home_glance_signed", version=a.version))
    else:
        expected = sum(m.role.expected_to_sign for m in group.members)
        names = ", ".join(_person(group, u) for u in a.unsigned) if len(a.unsigned) <= MAX_NAMES else None
        lines.append(texts.ui("home_glance_unsigned", version=a.version, missing=len(a.unsigned),
                              expected=max(expected, len(a.unsigned)), names=names))
    if glance.checkin is not None:
        lines.append(texts.ui("home_glance_checkin", answered=glance.checkin[0], total=glance.checkin[1]))
    return "\n".join(lines)


def _person(group: GroupSnap, user_id: str) -> str:
    member = group.member(user_id)
    return slack_escape(member.display_name) if member and member.display_name else mention(user_id)


def _names(groups: Iterable[GroupSnap]) -> str:
    return ", ".join(slack_escape(g.name) for g in groups)


def _section(text: str, accessory: Any = None, block_id: str | None = None) -> SectionBlock:
    """One section, whatever the length: Home lists are counted in blocks, so long text is clipped, not split."""
    clipped = text if len(text) <= SECTION_LIMIT else text[: SECTION_LIMIT - 1] + "…"
    return SectionBlock(text=MarkdownTextObject(text=clipped), accessory=accessory, block_id=block_id)
