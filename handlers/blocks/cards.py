"""Channel messages: the stage card, the adopted ground rules, the agreement with its signatures."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot.domain.snapshots import AgreementSnap, GroupSnap, RulesSnap, StageState
from bot.domain.stages import StageKey
from bot.texts import Texts
from handlers.blocks.common import actions, as_dicts, button, context, header, local_date, sections
from handlers.ids import Act, card_value

Message = tuple[str, list[dict[str, Any]]]


def stage_card(state: StageState, texts: Texts) -> Message:
    s, meeting = state.stage, state.meeting
    title = texts.stage(s, "title")
    top = texts.ui("card_header", number=meeting.number, index=state.index, total=state.total, title=title)
    blocks: list[Block] = [header(top), *sections(f"_{texts.stage(s, 'purpose')}_"),
                           *sections(texts.stage(s, "follow_up" if meeting.is_follow_up else "first"))]
    blocks += _stage_body(state, texts)
    blocks.append(context(_count_line(state, texts)))
    if meeting.running:
        blocks += [_card_buttons(state, texts), context(texts.ui("chair_only_note"))]
    else:
        blocks.append(context(texts.ui("ended_note")))
    return f"{top}: {texts.stage(s, 'purpose')}", as_dicts(blocks)


def _stage_body(state: StageState, texts: Texts) -> list[Block]:
    if state.stage == StageKey.GROUND_RULES:
        if state.rules and (state.meeting.is_follow_up or state.rules_adopted_here):
            listing = "\n".join(f"{i}. {r}" for i, r in enumerate(state.rules.rules, 1))
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
            return sections(f"{heading}\n{state.agreement.text}")
    return []


def _count_line(state: StageState, texts: Texts) -> str:
    if state.stage == StageKey.CHECK_IN:
        if not state.present:
            return texts.stage(state.stage, "none_yet")
        return texts.stage(state.stage, "count", n=len(state.present),
                           names=", ".join(state.group.name_of(u) for u in state.present))
    if not state.contributions:
        return texts.stage(state.stage, "none_yet")
    return texts.stage(state.stage, "count", n=len(state.contributions), people=len(state.contributors))


def _card_buttons(state: StageState, texts: Texts) -> Block:
    value = card_value(state.meeting.id, state.stage)
    elements = [button(texts.stage(state.stage, "button"), Act.CONTRIBUTE, value, "primary")]
    if texts.stage_has(state.stage, "chair_button"):
        chair_action = Act.ADOPT_OPEN if state.stage == StageKey.GROUND_RULES else Act.WRITE_UP
        elements.append(button(texts.stage(state.stage, "chair_button"), chair_action, value))
    elements.append(button(texts.ui("next_button"), Act.NEXT, value))
    return actions(*elements, block_id=f"card:{value}")


def rules_message(rules: RulesSnap, group: GroupSnap, meeting_number: int, texts: Texts) -> Message:
    top = texts.ui("rules_posted_header", version=rules.version)
    listing = "\n".join(f"{i}. {r}" for i, r in enumerate(rules.rules, 1))
    by = texts.ui("rules_posted_by", chair=group.name_of(rules.adopted_by), number=meeting_number)
    return f"{top}\n{listing}", as_dicts([header(top), *sections(listing), context(by)])


def agreement_message(agreement: AgreementSnap, group: GroupSnap, texts: Texts) -> Message:
    top = texts.ui("agreement_header", version=agreement.version)
    by = texts.ui("agreement_by", chair=group.name_of(agreement.published_by),
                  date=local_date(agreement.published_at, group.timezone))
    blocks: list[Block] = [header(top), *sections(agreement.text), context(by), DividerBlock()]
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
    return f"{top}\n{agreement.text}", as_dicts(blocks)


def decision_prompt(guard_text: str, meeting_id: int, stage: str, texts: Texts) -> Message:
    value = card_value(meeting_id, stage)
    if stage == StageKey.GROUND_RULES:
        first = [button(texts.ui("decide_adopt_all"), Act.ADOPT_ALL, value, "primary"),
                 button(texts.ui("decide_review"), Act.ADOPT_OPEN, value)]
    else:
        first = [button(texts.ui("decide_write_up"), Act.WRITE_UP, value, "primary")]
    buttons = actions(*first, button(texts.ui("decide_move_on"), Act.MOVE_ON, value), block_id=f"decide:{value}")
    return guard_text, as_dicts([*sections(guard_text), buttons])
