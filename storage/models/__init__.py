"""Typed SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from storage.models.action import Action, ActionEdit, ActionUpdate
from storage.models.agreement import AgreementVersion, GroundRulesVersion, Signature
from storage.models.assessment import Assessment, AssessmentRound, ForwardPlan
from storage.models.audit import AuditEntry, ProcessedEvent
from storage.models.base import Base
from storage.models.checkin import (
    AwayPeriod,
    CheckinAnswer,
    CheckinAnswerVersion,
    CheckinSchedule,
    CheckinWeek,
    Delivery,
)
from storage.models.group import Group, Member
from storage.models.inbox import InboxItem
from storage.models.meeting import Attendance, Contribution, Meeting, Minutes, StageCard
from storage.models.retention import RetentionSetting
from storage.models.slack_oauth import slack_bots, slack_installations, slack_oauth_states

__all__ = [
    "Action",
    "ActionEdit",
    "ActionUpdate",
    "Minutes",
    "AgreementVersion",
    "Assessment",
    "AssessmentRound",
    "Attendance",
    "AuditEntry",
    "AwayPeriod",
    "CheckinAnswer",
    "CheckinAnswerVersion",
    "CheckinSchedule",
    "CheckinWeek",
    "Delivery",
    "ForwardPlan",
    "Base",
    "Contribution",
    "GroundRulesVersion",
    "InboxItem",
    "Group",
    "Meeting",
    "Member",
    "ProcessedEvent",
    "RetentionSetting",
    "Signature",
    "StageCard",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
