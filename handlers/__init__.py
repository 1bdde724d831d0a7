"""Everything that touches Slack. `register(app, deps)` wires every surface into a bolt App."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from handlers import buttons, commands, events, guardrail, reporting, views
from handlers.deps import Deps
from handlers.errors import handle_error
from handlers.inbox import keep_before_ack


def register(app: App, deps: Deps) -> None:
    def inject_deps(context: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        context["deps"] = deps
        return next()

    app.use(inject_deps)
    # Every request is stored before it is acknowledged; Slack's re-sent events and repeated requests
    # are recognised there (handlers/inbox.py).
    app.use(keep_before_ack)
    app.error(handle_error)
    commands.register(app)
    buttons.register(app)
    views.register(app)
    events.register(app)
    reporting.register(app)
    guardrail.register(app)
