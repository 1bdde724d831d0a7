"""Erased members: the pseudonym that takes the place of their Slack id in a group's record.

A pseudonym is lower case, so it can never be a Slack id (those are upper case): no code can mention,
DM or look up a former member by it, and the person, if they come back to the channel, starts afresh.
"""

ERASED_PREFIX = "erased-"


def pseudonym(member_id: int) -> str:
    return f"{ERASED_PREFIX}{member_id}"


def is_erased(user_id: str | None) -> bool:
    return bool(user_id) and str(user_id).startswith(ERASED_PREFIX)


FORMER_MEMBER = "a former member"


def mention(user_id: str) -> str:
    """How a person is named in Slack text: their mention, or the words for a former member (a pseudonym
    in `<@...>` would show as a broken mention)."""
    return FORMER_MEMBER if is_erased(user_id) else f"<@{user_id}>"
