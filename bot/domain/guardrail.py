"""Does free text look like it identifies a care-home resident? Pure Python, no imports of ours.

`scan(text)` returns the kinds of identifier found (never the text): an NHS number that passes its
mod-11 check, a date of birth, a room number next to a name, or a person's name next to words about
a resident's care (fell, died, safeguarding...). It errs towards asking: a false alarm costs the
author one click ("Keep as written"), a miss puts a resident in the minutes. Measured on
tests/data/guardrail_sentences.yml by bench/guardrail.py.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.guardrail_words import GIVEN_NAMES, NOT_NAMES, NOT_SURNAMES


class Kind(StrEnum):
    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"
    ROOM_AND_NAME = "room_and_name"
    NAMED_RESIDENT = "named_resident"


# --- NHS numbers ---------------------------------------------------------------------------------------
# Ten digits, run together or spaced 3-3-4 (spaces or dashes), not part of a longer number.
NHS_CANDIDATE = re.compile(r"(?<![\d+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d])")
NHS_WORD = re.compile(r"\b(nhs|chi)\b", re.I)


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's mod-11 check: weights 10..2 on the first nine digits; 11 - (sum mod 11) is the
    tenth digit (11 counts as 0; 10 means the number cannot exist)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 10:
        return False
    return (0 if check == 11 else check) == int(digits[9])


def _nhs_numbers(text: str) -> bool:
    for m in NHS_CANDIDATE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        # NHS numbers in England and Wales start 3-7; a leading 0 is a phone number unless "NHS" is said.
        near = text[max(0, m.start() - 30):m.start()]
        if nhs_check_digit_ok(digits) and (digits[0] != "0" or NHS_WORD.search(near)):
            return True
    return False


# --- Dates of birth ------------------------------------------------------------------------------------
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
FULL_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?P<y1>\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\.?,?\s+(?P<y2>\d{{4}})"
    rf"|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}}))\b", re.I)
YEAR = re.compile(r"\b(19\d\d|20[0-2]\d)\b")
DOB_WORD = re.compile(r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s?date|born)", re.I)
BORN_AS_IDIOM = re.compile(r"\bborn\s+(?:and\s+(?:raised|bred)|out\s+of)\b", re.I)
AGE = re.compile(r"\b(?:aged?\s*:?\s*\d{2,3}|\d{2,3}[- ]?(?:years?|yrs?)[- ]old|\d{2,3}\s*(?:yo|y/o)"
                 r"|(?:he|she)(?:'s| is)\s+\d{2,3}|(?:turns?|turned)\s+\d{2,3})\b"
                 r"|\b(?:sixty|seventy|eighty|ninety|hundred)[- ]\w+[- ]years?[- ]old\b", re.I)
OLDEST_BIRTH_YEAR_GAP = 40  # a full date with an age beside it is a birth date if it is this far back


def _year(m: re.Match[str]) -> int:
    raw = m.group("y1") or m.group("y2") or m.group("y3")
    return int(raw) + (1900 if len(raw) == 2 else 0)


def _dates_of_birth(text: str) -> bool:
    dates = list(FULL_DATE.finditer(text))
    for word in DOB_WORD.finditer(text):
        if BORN_AS_IDIOM.match(text, word.start()):
            continue
        after = text[word.end():word.end() + 30]
        # "DOB 14/02/1936", "born on 12 March 1938", "born in 1928": a date or a year just after the word.
        if any(word.end() <= d.start() <= word.end() + 25 for d in dates) or YEAR.search(after):
            return True
        if any(0 <= word.start() - d.end() <= 12 for d in dates):  # "14/02/1936 (DOB)"
            return True
    newest = max((_year(d) for d in dates), default=None)
    return newest is not None and AGE.search(text) is not None and newest <= _this_century_cut()


def _this_century_cut() -> int:
    # Fixed rather than the clock's year: the domain has no clock, and residents' birth years are long past.
    return 2026 - OLDEST_BIRTH_YEAR_GAP


# --- Names ---------------------------------------------------------------------------------------------
WORD = r"(?:O'|Mc|Mac)?[A-Z][a-z]+(?:['-](?!s\b)[A-Z]?[a-z]+)?"
TITLED = re.compile(rf"\b(?:(?:Mr|Mrs|Ms|Mx|Miss)\.?|(?i:mr|mrs|ms)\.?)\s+(?:and\s+(?:Mrs|Mr)\s+)?"
                    rf"(?P<name>(?:{WORD}|[a-z]{{3,}})(?:\s+{WORD})?)")
# A lookahead, so "Resident Eileen Parker" still yields "Eileen Parker" (matches may overlap).
FULL_NAME = re.compile(rf"\b(?=(?P<first>{WORD})\s+(?P<last>{WORD})\b)")
FIRST_NAME = re.compile(rf"\b(?P<first>{WORD})\b")
PROPER_NEXT = re.compile(r"\s+[A-Z]")

# After a name, words that make it someone at the meeting or an agency, not a resident.
STAFF_AFTER = re.compile(
    r"^[,)]?\s*(?:\((?!room|rm|resident)[^)]*\)\s*)?"
    r"(?:(?:from|of|at)\s+(?!room|rm\b|flat|bedroom|the\s+(?:ward|home|floor|unit))"
    r"|(?:the|our|a|their|your)\s+(?:new\s+|deputy\s+|registered\s+|home\s+|activities\s+|safeguarding\s+|"
    r"falls\s+|practice\s+|district\s+|care\s+home\s+)*(?:manager|nurse|lead|chair|inspector|pharmacist|dentist|"
    r"commissioner|officer|director|coordinator|co-ordinator|gp|doctor|volunteer|councillor|head|social\s+worker|"
    r"matron|therapist|physio|carer|colleague|team)"
    r"|(?:safeguarding\s+\w+\s+)?(?:manager|lead|nurse|officer|director|commissioner)\b"
    r"|(?:will|would|can|could|has\s+(?:agreed|offered|kindly)|kindly|and\s+(?:her|his)\s+team)\b"
    r"|(?:said|says|agreed|asked|suggested|explained|presented|chaired|noted|confirmed|offered|led|shared|"
    r"thanked|proposed|raised|updated|welcomed|volunteered|mentioned|recommended|talked|spoke|gave|ran|"
    r"organised|introduced|opened|hosted|circulated|reported\s+that|pointed\s+out|is\s+(?:leading|retiring|hosting)|"
    r"'s\s+team)\b)", re.I)
# Before a name, words that make it staff ("Thanks to Mrs Ahmed", "presented by Mr Collins").
STAFF_BEFORE = re.compile(
    r"(?:thanks?\s+(?:you\s+)?to|presented\s+by|led\s+by|chaired\s+by|run\s+by|hosted\s+by|ask|email|ring|call|"
    r"contact|send\s+(?:\w+\s+){0,3}to|councillor|inspector,?|manager,?|lead,?|dentist,?|pharmacist,?|"
    r"dr\.?|doctor|nurse|cllr\.?|professor|prof\.?|sister)\s*$", re.I)

CARE_EVENT = re.compile(
    r"\bsafeguarding\b|"
    r"\b(?:residents?|room\s*\d|rm\s*\d|fell|falls?|falling|fallen|died|dying|death|passed\s+away|"
    r"hospital|a\s*&\s*e|admitted|admission|discharged?|pressure\s+(?:sore|ulcer|damage)|"
    r"medication\s+errors?|meds|tablets|insulin|bruis\w*|dols|dnacpr|end\s+of\s+life|ambulance|"
    r"choking|stroke|uti|unwell|wandering|found\s+on\s+the\s+floor|hoist\w*|care\s+plan|lives\s+with\s+us|"
    r"(?:her|his)\s+(?:son|daughter|family|niece|nephew|wife|husband|room)|call\s+bell|dentures|"
    r"hearing\s+aids?|refusing)\b"
    # ...but not as the name of a service ("the ambulance service", "the hospital discharge team"), except
    # safeguarding: a name beside "the safeguarding team" is a safeguarding matter in itself.
    r"(?!'?s?\s+(?:service|services|trust|team|teams|lead|board|hub|policy|training|pathway|"
    r"checklist)\b)", re.I)
RESIDENT_NEXT_TO = re.compile(r"\b(?:resident|residents)\b", re.I)
ROOM = re.compile(r"\b(?P<word>room|rm|bedroom|flat)\.?\s*(?:no\.?\s*|number\s+)?(?P<num>\d{1,3}[a-z]?)\b", re.I)
ROOM_NOT_A_BEDROOM = re.compile(
    r"(?:meeting|training|conference|board|committee|seminar|function|quiet|activity|activities|family|"
    r"interview|consultation|book|booked|booking|reserve|reserved)\s+$", re.I)
ROOM_BOOKING_AFTER = re.compile(r"^\s*(?:is|was|has\s+been)?\s*(?:booked|free|available|at\s+the|in\s+the|of\s+the|"
                                r"at\s+county|for\s+the\s+(?:meeting|training|workshop|session))", re.I)
SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)[.!?]\s+|\n+")


def _names(text: str) -> list[tuple[int, int]]:
    """Spans of what look like people's names, at the meeting or not."""
    spans: list[tuple[int, int]] = []
    for m in TITLED.finditer(text):
        if m.group("name").split()[0].lower() not in NOT_SURNAMES:
            spans.append((m.start(), m.end()))
    for m in FULL_NAME.finditer(text):
        first, last = m.group("first"), m.group("last")
        if first in GIVEN_NAMES and last.lower() not in NOT_NAMES and not _inside(m.start(), spans):
            spans.append((m.start(), m.end("last")))
    for m in FIRST_NAME.finditer(text):
        # "Rose Court", "Grace Hall": a first name leading a longer proper noun is a place, not a person.
        if m.group("first") in GIVEN_NAMES and not _inside(m.start(), spans) and not PROPER_NEXT.match(text, m.end()):
            spans.append((m.start(), m.end()))
    return spans


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in spans)


def _staff(text: str, start: int, end: int) -> bool:
    return bool(STAFF_AFTER.match(text[end:end + 60]) or STAFF_BEFORE.search(text[max(0, start - 30):start]))


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end) and the one after it (a fall is often told in the next)."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    begin = max((e for e in ends if e <= start), default=0)
    after = [e for e in ends if e >= end]
    stop = after[1] if len(after) > 1 else len(text)
    return begin, stop


def _rooms(text: str) -> list[tuple[int, int]]:
    found = []
    for m in ROOM.finditer(text):
        if ROOM_NOT_A_BEDROOM.search(text[max(0, m.start() - 25):m.start()]):
            continue
        if ROOM_BOOKING_AFTER.match(text[m.end():m.end() + 40]) or m.group("num") in ("101",):
            continue
        found.append((m.start(), m.end()))
    return found


def _room_and_name(text: str, names: list[tuple[int, int]]) -> bool:
    for r_start, r_end in _rooms(text):
        for n_start, n_end in names:
            gap = n_start - r_end if n_start >= r_end else r_start - n_end
            if gap <= 40 and not _staff(text, n_start, n_end):
                return True
    return False


def _named_resident(text: str, names: list[tuple[int, int]]) -> bool:
    for start, end in names:
        if _staff(text, start, end) and not RESIDENT_NEXT_TO.search(text[max(0, start - 12):end + 20]):
            continue
        s, e = _sentence_around(text, start, end)
        window = text[s:start] + " " + text[end:e]
        if CARE_EVENT.search(window):
            return True
    return False


def scan(text: str) -> frozenset[Kind]:
    """The kinds of resident identifier `text` seems to hold; empty when it seems to hold none."""
    found: set[Kind] = set()
    if _nhs_numbers(text):
        found.add(Kind.NHS_NUMBER)
    if _dates_of_birth(text):
        found.add(Kind.DATE_OF_BIRTH)
    names = _names(text)
    if names and _room_and_name(text, names):
        found.add(Kind.ROOM_AND_NAME)
    if names and _named_resident(text, names):
        found.add(Kind.NAMED_RESIDENT)
    return frozenset(found)
