"""Parsing slash-command text into plain values; bad grammar raises BadInput with the right form."""

from __future__ import annotations

import re

from bot.domain.errors import BadInput
from bot.domain.roles import Role

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
ORG_WORDS = ("organisation", "organization", "org")


def split(text: str) -> tuple[str, str]:
    """('goto', 'ground rules') from 'goto ground rules'; the subcommand is lower-cased."""
    head, _, rest = (text or "").strip().partition(" ")
    return head.lower(), rest.strip()


def mention(word: str) -> str | None:
    match = MENTION.match(word.strip())
    return match.group(1) if match else None


def parse_role(text: str) -> tuple[str, Role, str | None]:
    """`<@U1|alex> manager [organisation "Tower Bridge Care Home"]` -> (U1, MANAGER, 'Tower Bridge Care Home')."""
    words = text.split()
    if len(words) < 2:
        raise BadInput("role_usage")
    user, role = mention(words[0]), Role.parse(words[1])
    if user is None or role is None:
        raise BadInput("role_usage")
    organisation = None
    if len(words) > 2:
        if words[2].lower() not in ORG_WORDS or len(words) == 3:
            raise BadInput("role_usage")
        organisation = " ".join(words[3:]).strip().strip("\"'“”‘’").strip()
        if not organisation or len(organisation) > 200:
            raise BadInput("role_usage")
    return user, role, organisation
