"""Channel messages: the stage card, the adopted ground rules, the agreement with its signatures."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot.domain.reminders import is_next_meeting, meeting_label
from bot.domain.snapshots import AgreementSnap, GroupSnap, RulesSnap, StageState
from bot.domain.stages import QUESTIONS, StageKey
from bot.domain.when import format_day
from bot.texts import Texts, slack_escape
from handlers.blocks.common import actions, as_dicts, button, context, header, local_date, sections
from handlers.ids import Act, card_value

Message = tuple[str, list[dict[str, Any]]]


def stage_card(state: StageState, texts: Texts) -> Message:
    if state.report_item is not None:
        return report_card(state, texts)
    s, meeting = state.stage, state.meeting
    title = texts.stage(s, "title") + (f": {state.theme}" if state.theme else "")
    top = texts.ui("card_header", number=meeting.number, index=state.index, total=state.total, title=title)
    blocks: list[Block] = [header(top)]
    blocks += _theme_intro(state, texts) if state.theme else sections(f"_{texts.stage(s, 'purpose')}_")
    blocks += sections(texts.stage(s, "follow_up" if meeting.is_follow_up else "first",
                                   privacy=_privacy(state, texts)))
    blocks += _stage_body(state, texts)
    count = _count_line(state, texts)
    if count:
        blocks.append(context(count))
    if meeting.running:
        chair_button = _chair_label(state, texts) if state.stage in CHAIR_BUTTONS else None
        blocks += [_card_buttons(state, texts), context(texts.ui("chair_only_note", chair_button=chair_button))]
    else:
        blocks.append(context(texts.ui("ended_note")))
    # Only template words here (stage titles, theme names): nothing a member wrote, so nothing to escape.
    fallback = f"{top}: {_question(state, texts) if state.theme else texts.stage(s, 'purpose')}"
    return fallback, as_dicts(blocks)


def _privacy(state: StageState, texts: Texts) -> str:
    """Who sees what is written at this stage, where it depends on the group's settings (feedback names)."""
    if not texts.stage_has(state.stage, "privacy"):
        return ""
    return texts.stage(state.stage, "privacy", named=state.group.name_feedback)


def _question(state: StageState, texts: Texts) -> str:
    return texts.theme_sets[state.group.theme_set].questions[state.question or "working_well"]


def _theme_intro(state: StageState, texts: Texts) -> list[Block]:
    theme_set = texts.theme_sets[state.group.theme_set]
    description = next((t.description for t in theme_set.themes if t.name == state.theme), "")
    step = texts.stage("themes", "step", index=state.theme_index, total=state.theme_total,
                       question_number=QUESTIONS.index(state.question or QUESTIONS[0]) + 1)
    blocks = [*sections(f"_{slack_escape(description)}_"), context(step)]
    if levels := state.extra.get("levels"):  # the homes' latest self-assessment levels: a spread, no home named
        blocks.append(context(texts.ui("theme_card_levels", counts=levels)))
    return [*blocks, *sections(f"*{_question(state, texts)}*")]


def _stage_body(state: StageState, texts: Texts) -> list[Block]:
    if state.stage == StageKey.GROUND_RULES:
        if state.rules and (state.meeting.is_follow_up or state.rules_adopted_here):
            listing = "\n".join(f"{i}. {slack_escape(r)}" for i, r in enumerate(state.rules.rules, 1))
            note = texts.stage("ground_rules", "adopted_note", version=state.rules.version)
            heading = texts.stage("ground_rules", "current_heading", version=state.rules.version)
            return sections(f"{heading}\n{listing}") + ([context(note)] if state.rules_adopted_here else [])
        examples = "\n".join(f"• {e}" for e in texts.examples)
        return sections(f"{texts.stage('ground_rules', 'examples_heading')}\n{examples}")
    if state.stage == StageKey.AGREEMENT and state.agreement:
        if state.agreement_published_here:
            return [context(texts.stage("agreement", "published_note", version=state.agreement.version))]
        if state.meeting.is_follow_up:
            heading = texts.stage("agreement", "current_heading", version=state.agreement.version)
            return sections(f"{heading}\n{slack_escape(state.agreement.text)}")
    if state.stage == StageKey.REPORT_BACK:
        if not state.report_items:
            return sections(texts.stage("report_back", "nothing"))
        lines = [texts.stage("report_back", "summary_line", ref=i.action.ref,
                             description=slack_escape(_short(i.action.description)),
                             owner=state.group.name_of(i.action.owner_id), reported=i.reported,
                             status=texts.ui(f"status_{i.action.status}")) for i in state.report_items]
        return sections("\n".join(lines))
    if state.stage == StageKey.ACTIONS and state.actions:
        lines = [texts.stage("actions", "action_line", ref=a.ref, description=slack_escape(a.description),
                             owner=state.group.name_of(a.owner_id),
                             due=format_day(a.due_date) if a.due_date else None) for a in state.actions]
        return sections("\n".join(lines))
    if state.stage == StageKey.CLOSE:
        return sections(_next_meeting_line(state, texts))
    return []


def _next_meeting_line(state: StageState, texts: Texts) -> str:
    """The date set with `/meeting schedule`, or the chair is asked for one (a date already past, or this very
    meeting's, does not count)."""
    meeting, at = state.meeting, state.next_meeting_at
    if at is None or not is_next_meeting(at, meeting.started_at, meeting.ended_at or meeting.started_at):
        return texts.stage("close", "no_next_meeting")
    return texts.stage("close", "next_meeting", when=meeting_label(at, state.group.timezone),
                       timezone=state.group.timezone)


def _count_line(state: StageState, texts: Texts) -> str:
    if state.stage == StageKey.CHECK_IN:
        sorry = ", ".join(state.group.name_of(u) for u in state.apologies)
        if not state.present and not sorry:
            return texts.stage(state.stage, "none_yet")
        return texts.stage(state.stage, "count", n=len(state.present), sorry=sorry,
                           names=", ".join(state.group.name_of(u) for u in state.present))
    if state.stage == StageKey.REPORT_BACK:
        if not state.report_items:
            return ""
        waiting = [i for i in state.report_items if not i.reported]
        owners = dict.fromkeys(i.action.owner_id for i in waiting)
        refs = {o: ", ".join(i.action.ref for i in waiting if i.action.owner_id == o) for o in owners}
        names = ", ".join(f"{state.group.name_of(o)} ({refs[o]})" for o in owners)
        return texts.stage(state.stage, "count", reported=len(state.report_items) - len(waiting),
                           total=len(state.report_items), waiting=names)
    if state.stage == StageKey.ACTIONS:
        if not state.actions and not state.contributions:
            return texts.stage(state.stage, "none_yet")
        return texts.stage(state.stage, "count", n=len(state.actions), ideas=len(state.contributions))
    if not state.contributions:
        return texts.stage(state.stage, "none_yet")
    if state.stage == StageKey.FEEDBACK:
        givers = set(state.contributors)
        return texts.stage(state.stage, "count", n=len(givers & set(state.present)), attendees=len(state.present),
                           others=len(givers - set(state.present)))
    return texts.stage(state.stage, "count", n=len(state.contributions), people=len(state.contributors))


def _short(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def report_card(state: StageState, texts: Texts) -> Message:
    """A report-back card for one action: what it is, its updates since the last meeting, and who reported."""
    item = state.report_item
    assert item is not None
    a, g = item.action, state.group
    top = texts.stage("report_back", "action_title", ref=a.ref, description=slack_escape(_short(a.description, 200)))
    facts = texts.stage("report_back", "action_facts", owner=g.name_of(a.owner_id), agency=slack_escape(a.agency or ""),
                        due=format_day(a.due_date) if a.due_date else "", theme=slack_escape(a.theme or ""),
                        status=texts.ui(f"status_{a.status}"))
    blocks: list[Block] = [*sections(top), context(facts)]
    if len(a.description) > 200:
        blocks += sections(slack_escape(a.description))
    if item.updates:
        lines = [texts.stage("report_back", "update_line", date=local_date(u.at, g.timezone), who=g.name_of(u.author),
                             status=texts.ui(f"status_{u.new_status}"), note=slack_escape(u.note or ""))
                 for u in item.updates[-8:]]
        blocks += sections(texts.stage("report_back", "updates_heading") + "\n" + "\n".join(lines))
        blocks.append(context(texts.stage("report_back", "reported_by",
                                          names=", ".join(g.name_of(u) for u in item.reporters))))
    else:
        blocks.append(context(texts.stage("report_back", "not_reported", owner=g.name_of(a.owner_id))))
    if state.contributions:
        blocks.append(context(texts.stage("report_back", "comments", n=len(state.contributions))))
    if state.meeting.running:
        blocks.append(actions(button(texts.stage("report_back", "report_button"), Act.REPORT_OPEN, str(a.id),
                                     "primary"), block_id=f"report-card:{state.meeting.id}:{a.id}"))
        blocks.append(context(texts.stage("report_back", "action_note")))
    fallback = texts.stage("report_back", "action_fallback", ref=a.ref, description=slack_escape(_short(a.description)))
    return fallback, as_dicts(blocks)


CHAIR_BUTTONS = {StageKey.GROUND_RULES: Act.ADOPT_OPEN, StageKey.AGREEMENT: Act.WRITE_UP, StageKey.CLOSE: Act.CLOSE}
CONTRIBUTE_BUTTONS = {StageKey.ACTIONS: Act.ADD_ACTION}


def _card_buttons(state: StageState, texts: Texts) -> Block:
    value = card_value(state.meeting.id, state.stage)
    elements = []
    if texts.stage_has(state.stage, "button"):
        action_id = CONTRIBUTE_BUTTONS.get(StageKey(state.stage), Act.CONTRIBUTE)
        elements.append(button(texts.stage(state.stage, "button"), action_id, value, "primary"))
    if state.stage == StageKey.CHECK_IN:
        elements.append(button(texts.stage(state.stage, "apologies_button"), Act.APOLOGIES, value))
    in_force = _in_force(state)
    if state.stage in CHAIR_BUTTONS:
        style = "primary" if state.stage == StageKey.CLOSE else None
        elements.append(button(_chair_label(state, texts), CHAIR_BUTTONS[StageKey(state.stage)], value, style))
    if state.stage != StageKey.CLOSE:
        label = texts.stage(state.stage, "next_button") if texts.stage_has(state.stage, "next_button") else \
            texts.ui("next_button")
        if in_force:
            label = texts.stage(state.stage, "keep_button", version=in_force)
        elements.append(button(label, Act.NEXT, value))
    block_id = f"card:{value}:{state.theme or ''}:{state.question or ''}"[:255]
    return actions(*elements, block_id=block_id)


def _chair_label(state: StageState, texts: Texts) -> str:
    return texts.stage(state.stage, "amend_button" if _in_force(state) else "chair_button")


def _in_force(state: StageState) -> int | None:
    """In a follow-up meeting, the version of the rules or agreement the chair may keep (not yet replaced here)."""
    if not state.meeting.is_follow_up:
        return None
    if state.stage == StageKey.GROUND_RULES and state.rules and not state.rules_adopted_here:
        return state.rules.version
    if state.stage == StageKey.AGREEMENT and state.agreement and not state.agreement_published_here:
        return state.agreement.version
    return None


def rules_message(rules: RulesSnap, group: GroupSnap, meeting_number: int, texts: Texts) -> Message:
    top = texts.ui("rules_posted_header", version=rules.version)
    listing = "\n".join(f"{i}. {slack_escape(r)}" for i, r in enumerate(rules.rules, 1))
    by = texts.ui("rules_posted_by", chair=group.name_of(rules.adopted_by), number=meeting_number)
    return f"{top}\n{listing}", as_dicts([header(top), *sections(listing), context(by)])


def agreement_message(agreement: AgreementSnap, group: GroupSnap, texts: Texts) -> Message:
    top = texts.ui("agreement_header", version=agreement.version)
    by = texts.ui("agreement_by", chair=group.name_of(agreement.published_by),
                  date=local_date(agreement.published_at, group.timezone))
    blocks: list[Block] = [header(top), *sections(slack_escape(agreement.text)), context(by), DividerBlock()]
    if agreement.signed:
        signed = ", ".join(group.name_of(u) for u, _ in agreement.signed)
        blocks += sections(texts.ui("signed_line", n=len(agreement.signed), names=signed))
    else:
        blocks += sections(texts.ui("nobody_signed"))
    if agreement.unsigned:
        unsigned = ", ".join(group.name_of(u) for u in agreement.unsigned)
        blocks += sections(texts.ui("unsigned_line", n=len(agreement.unsigned), names=unsigned))
    if agreement.superseded_by is None:
        blocks.append(actions(button(texts.ui("sign_button"), Act.SIGN, str(agreement.id), "primary"),
                              block_id=f"sign:{agreement.id}"))
    else:
        blocks.append(context(texts.ui("superseded_note", version=agreement.superseded_by)))
    return f"{top}\n{slack_escape(agreement.text)}", as_dicts(blocks)


def decision_prompt(guard_text: str, meeting_id: int, stage: str, texts: Texts) -> Message:
    value = card_value(meeting_id, stage)
    if stage == StageKey.GROUND_RULES:
        first = [button(texts.ui("decide_adopt_all"), Act.ADOPT_ALL, value, "primary"),
                 button(texts.ui("decide_review"), Act.ADOPT_OPEN, value)]
    else:
        first = [button(texts.ui("decide_write_up"), Act.WRITE_UP, value, "primary")]
    buttons = actions(*first, button(texts.ui("decide_move_on"), Act.MOVE_ON, value), block_id=f"decide:{value}")
    return guard_text, as_dicts([*sections(guard_text), buttons])
