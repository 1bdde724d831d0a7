"""Everything that touches Slack. `register(app, deps)` wires every surface into a bolt App."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.services.events import first_sight
from handlers import buttons, commands, events, reporting, views
from handlers.deps import Deps
from handlers.errors import handle_error


def register(app: App, deps: Deps) -> None:
    def inject_deps(context: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        context["deps"] = deps
        return next()

    def drop_repeated_events(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        # Slack re-sends an event it thinks we missed (same event_id). The first copy we see is
        # processed, whichever delivery it was; the others are acknowledged and dropped.
        event_id = body.get("event_id")
        if body.get("type") == "event_callback" and event_id and not first_sight(deps.uow(), deps.clock, event_id):
            return BoltResponse(status=200, body="")
        return next()

    app.use(inject_deps)
    app.use(drop_repeated_events)
    app.error(handle_error)
    commands.register(app)
    buttons.register(app)
    views.register(app)
    events.register(app)
    reporting.register(app)
