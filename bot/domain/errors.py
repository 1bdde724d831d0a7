"""Domain errors. Each carries a stable `code`; the words for it live in templates/messages.yml."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request we refuse or cannot carry out, with the values the message needs."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r})"


class NotAllowed(DomainError):
    """The person lacks the role for this; the message names who can."""


class BadInput(DomainError):
    """What was typed or chosen cannot be used; the message says the right form."""
