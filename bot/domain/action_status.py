"""The statuses an action can have (spec §3.2), and reading one as people type it."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import BadInput


class Status(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    BLOCKED = "blocked"
    DROPPED = "dropped"

    @property
    def open(self) -> bool:
        return self in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED)


def parse_status(word: str) -> Status:
    """'in progress', 'In_Progress' and 'in-progress' are all the same status."""
    cleaned = "-".join(word.strip().lower().replace("_", " ").replace("-", " ").split())
    for status in Status:
        if status.value == cleaned:
            return status
    raise BadInput("unknown_status", given=word.strip(), statuses=[s.value for s in Status])


def parse_ref(text: str) -> int:
    """'A-12', 'a12' or '12' -> 12."""
    cleaned = text.strip().upper().removeprefix("A").lstrip("-")
    if not cleaned.isdigit() or int(cleaned) < 1:
        raise BadInput("unknown_action_ref", given=text.strip())
    return int(cleaned)
