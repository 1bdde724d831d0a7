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
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from types import TracebackType
from typing import Any, TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

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


def make_handler(stream: TextIO | None = None) -> logging.Handler:
    """The handler `python -m bot` logs through (tests attach one to read the log as operators would)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(OneLineFormatter())
    handler.addFilter(_FILTER)
    return handler


def configure(level: str | int) -> None:
    """Route every record through one safe handler on the root logger, replacing any other."""
    logging.basicConfig(level=level, handlers=[make_handler()], force=True)
    withhold_slack_bodies()
