"""Roles in a group and what each may do."""

from enum import StrEnum


class Role(StrEnum):
    CHAIR = "chair"
    CO_CHAIR = "co-chair"
    MEMBER = "member"
    MANAGER = "manager"
    OBSERVER = "observer"

    @property
    def runs_meetings(self) -> bool:
        return self in (Role.CHAIR, Role.CO_CHAIR)

    @property
    def expected_to_sign(self) -> bool:
        """Observers watch; everyone else is a partner to the agreement."""
        return self is not Role.OBSERVER

    @classmethod
    def parse(cls, word: str) -> "Role | None":
        word = word.strip().lower().replace("_", "-").replace("cochair", "co-chair")
        return next((r for r in cls if r.value == word), None)
