"""`/actions add` in one line (§3.2): `<description> owner @user [agency <name>] [theme <theme>] [due <when>]`.

Theme and due stay raw text here; the caller resolves them with bot.domain.themes and bot.domain.when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from bot.domain.errors import BadInput
from handlers.commands.parse import mention

MAX_DESCRIPTION = 500
MAX_AGENCY = 200  # the same limit as a member's organisation
KEYWORDS = ("owner", "agency", "theme", "due")
# A quoted value (straight or curly quotes), a Slack <...> mention kept whole, or a plain word.
TOKEN = re.compile(r"[\"“”](?P<quoted>[^\"“”]*)[\"“”]|<[^>]*>|\S+")
NAMED_MENTION = re.compile(r"<@[UW][A-Z0-9]+\|([^>]+)>")


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner_id: str
    agency: str | None = None
    theme: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class _Token:
    raw: str
    start: int
    end: int
    quoted: str | None  # the text inside the quotes, for a quoted token

    @property
    def keyword(self) -> str | None:
        word = self.raw.lower()
        return word if self.quoted is None and word in KEYWORDS else None


def parse_action_add(text: str) -> ActionLine:
    """'Arrange falls training owner <@U1|alex> agency "NHS Falls Team" due next Friday' -> ActionLine.

    The description is everything before the first `owner` that is followed by a mention, so a description
    may itself say "owner" ("Ask the owner about parking owner @sam"). After the owner, the clauses come in
    any order, each at most once; a value holding a keyword word needs quotes (agency "Theme Park Trust").
    """
    text = (text or "").strip()
    if not text:
        raise BadInput("action_usage")
    tokens = [_Token(m[0], m.start(), m.end(), m["quoted"]) for m in TOKEN.finditer(text)]
    owners = [i for i, t in enumerate(tokens) if t.keyword == "owner"]
    owner = next(((i, user) for i in owners if i + 1 < len(tokens) and (user := mention(tokens[i + 1].raw))), None)
    cut = owner[0] if owner else (owners[0] if owners else len(tokens))
    description = _value(text, tokens[:cut], collapse=False)
    if not description:
        raise BadInput("action_no_description")
    if len(description) > MAX_DESCRIPTION:
        raise BadInput("action_description_long", length=len(description), limit=MAX_DESCRIPTION)
    if owner is None:
        raise BadInput("action_no_owner")
    owner_at, owner_id = owner
    clauses = _clauses(text, tokens[owner_at + 2:])
    agency = clauses.get("agency")
    if agency is not None and len(agency) > MAX_AGENCY:
        raise BadInput("organisation_too_long", limit=MAX_AGENCY)
    return ActionLine(description, owner_id, agency, clauses.get("theme"), clauses.get("due"))


def _clauses(text: str, tokens: list[_Token]) -> dict[str, str]:
    """The keyword clauses after the owner's mention, by keyword."""
    starts = [i for i, t in enumerate(tokens) if t.keyword] + [len(tokens)]
    if starts[0] > 0:  # words straight after the mention: a second owner, or a clause without its keyword
        stray = _value(text, tokens[:starts[0]])
        raise BadInput("action_stray_text", given=NAMED_MENTION.sub(r"@\1", stray))  # "@sam" reads better
    found: dict[str, str] = {}
    for here, following in pairwise(starts):
        keyword = tokens[here].raw.lower()
        if keyword in found or keyword == "owner":
            raise BadInput("action_repeated_clause", keyword=keyword)
        value = _value(text, tokens[here + 1:following])
        if not value:
            raise BadInput("action_empty_clause", keyword=keyword)
        found[keyword] = value
    return found


def _value(text: str, tokens: list[_Token], *, collapse: bool = True) -> str:
    """The text the tokens span; a single quoted token loses its quotes."""
    if not tokens:
        return ""
    if len(tokens) == 1 and tokens[0].quoted is not None:
        value = tokens[0].quoted.strip()
    else:
        value = text[tokens[0].start:tokens[-1].end].strip()
    return " ".join(value.split()) if collapse else value
