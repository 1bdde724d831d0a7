"""Member text as it may be stored: what Slack delivers can hold characters no database should keep."""

from __future__ import annotations

import re

# C0 control characters (NUL included) and DEL, except tab and newline: PostgreSQL refuses a NUL in text
# while SQLite stores it, and the others are invisible in Slack, so both databases get the same clean text
# (a carriage return goes too: Slack sends line ends as \n). Lone UTF-16 surrogates, which JSON's \ud800
# escapes can produce, cannot be encoded as UTF-8 by either database driver.
UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` without control characters (tab and newline kept); empty if that was all it held."""
    return UNWANTED.sub("", text)
