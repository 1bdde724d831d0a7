"""Typed SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from storage.models.action import Action
from storage.models.agreement import AgreementVersion, GroundRulesVersion, Signature
from storage.models.audit import AuditEntry, ProcessedEvent
from storage.models.base import Base
from storage.models.group import Group, Member
from storage.models.meeting import Attendance, Contribution, Meeting, Minutes, StageCard

__all__ = [
    "Action",
    "Minutes",
    "AgreementVersion",
    "Attendance",
    "AuditEntry",
    "Base",
    "Contribution",
    "GroundRulesVersion",
    "Group",
    "Meeting",
    "Member",
    "ProcessedEvent",
    "Signature",
    "StageCard",
]
