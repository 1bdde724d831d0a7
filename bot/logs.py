"""Logging for `python -m bot`: one record per line, and no member text, token or secret at any level.

The choices, and why:

- **One physical line per record.** Every character that could end or fake a line (CR, LF, the other
  C0/C1 controls, U+2028/U+2029) and the backslash itself are escaped in the formatted record, so text
  that came from outside (a header, a body, an exception) can never forge a record of its own. A
  traceback therefore reads as one long line with `\\n` in it.
- **Exceptions by type and stack, never by message.** An exception's message quotes values: SQL
  parameters (a contribution's text in an IntegrityError), the string dateutil could not parse, the
  JSON that failed to decode. The stack (files, lines, code) says where; the message is left out,
  except a Slack error code (`channel_not_found`), which carries no member text.
- **Slack's libraries speak only from WARNING up, and only their headline.** slack_sdk logs every
  request and response body at DEBUG (`slack_sdk.web.base_client`: message texts, modal answers,
  response_url links); bolt logs whole request bodies at INFO (a failed signature check, "request
  body: ...") and at WARNING ("Unhandled request (...)"). Their records below WARNING are dropped;
  from WARNING up the text is cut before the first bracket or colon, which is where bolt and slack_sdk
  put what they quote. The filter sits on the handler (everything that reaches our log) and on the
  libraries' loggers themselves (any other handler, such as a test's), because a level set on bolt's
  loggers does not hold: `App(...)` resets them when it is built, and a filter it leaves alone.
- **JSON as an option** (`LOG_FORMAT=json`): one JSON object per line (`ts`, `level`, `logger`, `msg`,
  `request_id`, and `exc` with the same message-free traceback), for log platforms that index fields.
  The same filter withholds the same text; JSON's own escaping keeps every record on one line.
- **A request id on every line logged while handling a request**, text and JSON alike: the front door
  (bot/server.py) sets it in a context variable and hands it to bolt in the request's context; the
  listener wrapper (handlers/errors.py `guarded`) sets it again in the listener's thread, where context
  variables do not follow. Socket Mode has no front door: the wrapper makes one.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(request_part)s"
FORMATS = ("text", "json")

# The request being handled in this thread (or task): bot/server.py and handlers/errors.py set it.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_format = "text"  # what `configure` chose; make_handler's default


def new_request_id() -> str:
    return uuid.uuid4().hex[:12]


@contextmanager
def request_scope(rid: str | None = None) -> Iterator[str]:
    """Every record logged inside carries `rid` (a new id when none is given)."""
    rid = rid or new_request_id()
    token = request_id.set(rid)
    try:
        yield rid
    finally:
        request_id.reset(token)

# Records from these loggers (and their children) may quote request and response bodies.
SLACK_LIBRARIES = ("slack_bolt", "slack_sdk")
# The loggers known to quote bodies; they exist once an App and a WebClient have been built.
KNOWN_BODY_LOGGERS = ("slack_bolt.RequestVerification", "slack_bolt.App", "slack_bolt.IgnoringSelfEvents",
                      "slack_sdk.web.base_client", "slack_sdk.webhook.client", "slack_sdk.socket_mode")

_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_ESCAPES.update({ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
                 0x2028: "\\u2028", 0x2029: "\\u2029"})
_HEADLINE_END = re.compile(r"[(\[{:\"'<]")
_SLACK_ERROR_CODE = re.compile(r"[a-z_]{1,60}")


def one_line(text: str) -> str:
    """`text` with every line break, control character and backslash escaped."""
    return text.translate(_ESCAPES)


class OneLineFormatter(logging.Formatter):
    """Formats a record as exactly one line; exceptions by type and stack only."""

    def __init__(self) -> None:
        super().__init__(FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        # logging caches a record's exception text from whichever handler formatted it first (another
        # handler's, with the message in it): this formatter always writes its own.
        cached, record.exc_text = record.exc_text, None
        rid = getattr(record, "request_id", None) or request_id.get()
        record.request_part = f" req={rid}" if rid else ""
        try:
            return one_line(super().format(record))
        finally:
            record.exc_text = cached

    def formatException(self, ei: tuple[type[BaseException], BaseException, TracebackType | None]  # noqa: N802
                        | tuple[None, None, None]) -> str:
        error = ei[1]
        if error is None:
            return ""
        return "".join(_describe(error, seen=set()))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; exceptions by type and stack only, as the text format."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get()}
        if record.exc_info and record.exc_info[1] is not None:
            line["exc"] = "".join(_describe(record.exc_info[1], seen=set()))
        # ensure_ascii: U+2028/U+2029 and every other non-ASCII character escaped, so no reader splits a line.
        return json.dumps(line, ensure_ascii=True)


class AddRequestId(logging.Filter):
    """Stamps each record with the request id of the thread that logged it (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def _describe(error: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(error))
    lines: list[str] = []
    cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    if cause is not None and id(cause) not in seen:
        lines += [*_describe(cause, seen), "The above led to:\n"]
    lines.append("Traceback (most recent call last):\n")
    lines += traceback.format_list(traceback.extract_tb(error.__traceback__))
    lines.append(f"{type(error).__module__}.{type(error).__qualname__}{_slack_code(error)} (message withheld)\n")
    return lines


def _slack_code(error: BaseException) -> str:
    """slack_sdk's SlackApiError carries Slack's answer; its `error` field is a bare code, safe to log."""
    response: Any = getattr(error, "response", None)
    code = response.get("error") if hasattr(response, "get") else None
    return f" [{code}]" if isinstance(code, str) and _SLACK_ERROR_CODE.fullmatch(code) else ""


class WithholdSlackBodies(logging.Filter):
    """Drops Slack libraries' records below WARNING and cuts the rest to their headline."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(SLACK_LIBRARIES):
            return True
        if record.levelno < logging.WARNING:
            return False
        text = record.getMessage()
        cut = _HEADLINE_END.search(text)
        headline = (text[:cut.start()] if cut else text)[:120].strip()
        record.msg, record.args = (f"{headline} (details withheld)" if cut or len(text) > 120 else headline), ()
        return True


_FILTER = WithholdSlackBodies()


def withhold_slack_bodies() -> None:
    """Put the filter on the Slack libraries' loggers (idempotent). Call it after `App(...)` is built."""
    names = set(KNOWN_BODY_LOGGERS) | {name for name in logging.root.manager.loggerDict
                                       if name.startswith(SLACK_LIBRARIES)}
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def make_handler(stream: TextIO | None = None, fmt: str | None = None) -> logging.Handler:
    """The handler `python -m bot` logs through (tests attach one to read the log as operators would)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if (fmt or _format) == "json" else OneLineFormatter())
    handler.addFilter(_FILTER)
    handler.addFilter(AddRequestId())
    return handler


def configure(level: str | int, fmt: str = "text") -> None:
    """Route every record through one safe handler on the root logger, replacing any other."""
    global _format
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    _format = fmt
    logging.basicConfig(level=level, handlers=[make_handler()], force=True)
    withhold_slack_bodies()
