"""Slack ids (action ids, view callback ids, block ids), each spelled once."""

from enum import StrEnum


class Act(StrEnum):
    CONTRIBUTE = "meeting.open_contribute"
    NEXT = "meeting.next_clicked"
    ADOPT_OPEN = "rules.open_adopt"
    ADOPT_ALL = "rules.adopt_all"
    WRITE_UP = "agreement.open_write_up"
    SIGN = "agreement.sign"
    MOVE_ON = "meeting.move_on"
    CLOSE = "meeting.close_clicked"
    APOLOGIES = "meeting.send_apologies"
    REPORT_OPEN = "actions.open_report"
    ADD_ACTION = "actions.open_add"
    ADD_CONFIRMED = "actions.add_confirmed"
    ANSWER_CHECKIN = "checkin.open_answer"
    GUARD_EDIT = "guardrail.open_edit"  # the resident-data guardrail's buttons, seen only by the author
    GUARD_KEEP = "guardrail.keep"
    GUARD_REMOVE = "guardrail.remove"
    GUARD_CANCEL = "guardrail.cancel"
    REPORT_CONFIRMED = "actions.report_confirmed"
    FORGET_CONFIRM = "group.forget_confirmed"
    FORGET_CANCEL = "group.forget_cancelled"
    EDIT_OPEN = "actions.open_edit"  # on the Report back form: push the edit form over it
    ASSESS_OPEN = "assess.open"  # the self-assessment round's DM
    PLAN_OPEN = "assess.open_plan"  # "Take the challenge"
    PLAN_CHECK_OPEN = "assess.open_plan_check"  # the forward plan's 3-month check DM


class View(StrEnum):
    SETUP = "group.setup"
    CHECK_IN = "meeting.check_in"
    CONTRIBUTE = "meeting.contribute"
    ADOPT = "rules.adopt"
    PUBLISH = "agreement.publish"
    ADD_ACTION = "actions.add"
    FEEDBACK = "meeting.feedback"
    REPORT = "actions.report"
    WEEKLY_CHECKIN = "checkin.answer"
    GUARD_EDIT = "guardrail.edit_reply"
    EDIT_ACTION = "actions.edit"
    ASSESS = "assess.answer"
    PLAN = "assess.plan"
    PLAN_CHECK = "assess.plan_check"


class Field(StrEnum):
    TEXT = "text"
    ORGANISATION = "organisation"
    FEELING = "feeling"
    NAME = "name"
    THEME_SET = "theme_set"
    TIMEZONE = "timezone"
    CHAIR = "chair"
    CO_CHAIRS = "co_chairs"
    DESCRIPTION = "description"
    THEME = "theme"
    OWNER = "owner"
    AGENCY = "agency"
    DUE = "due"
    PREREQUISITES = "prerequisites"
    AGENCY_ABSENT = "agency_absent"
    VOLUNTEER = "volunteer"
    TAKEAWAY = "takeaway"
    RATING = "rating"
    STATUS = "status"
    NOTE = "note"
    OBJECTIVE = "objective"
    RESPONSIBLE_USERS = "responsible_users"
    RESPONSIBLE_TEXT = "responsible_text"
    TARGET = "target"
    MILESTONE = "milestone"
    RESIDENT_CHECK = "resident_check"  # "I've checked: no resident can be identified" (bot/domain/guardrail.py)


def card_value(meeting_id: int, stage: str) -> str:
    """What a card's buttons carry: the meeting and stage they were drawn in."""
    return f"{meeting_id}:{stage}"


def parse_card_value(value: str) -> tuple[int, str]:
    meeting, _, stage = value.partition(":")
    return int(meeting), stage


def parse_card_slot(block_id: str) -> tuple[str, str]:
    """(theme, question) from a card's actions block id, `card:<meeting>:<stage>:<theme>:<question>`."""
    parts = block_id.split(":")
    return (parts[3], parts[4]) if len(parts) >= 5 else ("", "")


def answer_block(question: str) -> str:
    """The weekly check-in form's block for a question's answer; `chair_only_block` for its checkbox."""
    return f"answer_{question}"


def chair_only_block(question: str) -> str:
    return f"private_{question}"
