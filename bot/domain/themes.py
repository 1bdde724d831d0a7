"""Forgiving theme-name matching: "improving health" finds "Improving Health & Healthcare".

Names are compared in a normal form (lower case, "&" as "and", no punctuation or spaces), trying in turn an
exact match, a unique prefix, then a unique substring; so the result is predictable and never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain.errors import BadInput

MIN_SUBSTRING = 3  # "he" inside a name is a coincidence, not a choice; a prefix of any length is fine
SEPARATORS = re.compile(r"[,;\n]")  # theme names hold "&" and "and", never these


def normalise(name: str) -> str:
    """'  Improving  health & Healthcare. ' -> 'improvinghealthandhealthcare'.

    Spaces go too, so "co-production", "co production" and "coproduction" are one name.
    """
    return "".join(ch for ch in name.casefold().replace("&", "and") if ch.isalnum())


def match_theme(typed: str, names: Sequence[str]) -> str:
    """The one name in `names` that `typed` means: exact, else unique prefix, else unique substring.

    BadInput: themes_empty (nothing typed), unknown_theme (no match), ambiguous_theme (several at one step).
    """
    key = normalise(typed or "")
    if not key:
        raise BadInput("themes_empty", valid=list(names))
    keyed = [(normalise(name), name) for name in names]
    steps = (
        [name for k, name in keyed if k == key],
        [name for k, name in keyed if k.startswith(key)],
        [name for k, name in keyed if key in k] if len(key) >= MIN_SUBSTRING else [],
    )
    for found in map(_unique, steps):
        if len(found) == 1:
            return found[0]
        if found:
            raise BadInput("ambiguous_theme", given=typed.strip(), matches=found)
    raise BadInput("unknown_theme", given=typed.strip(), valid=list(names))


def match_themes(text: str, names: Sequence[str]) -> list[str]:
    """'Managing transitions, Creating community' -> both canonical names, de-duplicated, in typed order."""
    parts = [part for part in SEPARATORS.split(text or "") if normalise(part)]
    if not parts:
        raise BadInput("themes_empty", valid=list(names))
    return _unique([match_theme(part, names) for part in parts])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
