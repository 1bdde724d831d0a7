"""`/group export actions|checkins` and `/group report`: files for people outside Slack.

Heavy work runs after the acknowledgement: `run_subcommand` acks first, and bolt (process_before_response
off) answers Slack's HTTP request at the ack, so the export or the report (queries, charts, upload) is
built in the listener's worker thread while Slack already has its 200.
"""

from __future__ import annotations

from bot.domain.errors import BadInput
from bot.services import exports, report, report_schedule
from bot.services.exports import PlanFilters
from handlers.blocks.plan_files import checkins_csv, plan_csv, plan_html, plan_markdown
from handlers.commands.context import Invocation
from handlers.commands.scope import reader
from handlers.progress_report import post_report

FORMATS = ("csv", "md", "html")
KEYWORDS = ("theme", "agency", "open", "overdue", "by")
QUOTES = "\"'“”‘’"


def parse_plan_export(text: str) -> tuple[str, PlanFilters]:
    """`csv theme Creating community agency "NHS Falls Team" open by agency` -> ("csv", filters)."""
    words = text.split()
    if not words or words[0].lower() not in FORMATS:
        raise BadInput("export_actions_usage", given=text)
    values: dict[str, list[str]] = {}
    flags: set[str] = set()
    current: str | None = None
    i = 1
    while i < len(words):
        low = words[i].lower()
        if low == "by" and i + 1 < len(words) and words[i + 1].lower() == "agency":
            flags.add("by_agency")
            current, i = None, i + 2
            continue
        if low in ("theme", "agency"):
            current = low
            values[low] = []
        elif low in ("open", "overdue"):
            flags.add(low)
            current = None
        elif current is not None:
            values[current].append(words[i])
        else:
            raise BadInput("export_actions_usage", given=text)
        i += 1
    theme, agency = (" ".join(values[k]).strip(QUOTES) if k in values else None for k in ("theme", "agency"))
    if "theme" in values and not theme or "agency" in values and not agency:
        raise BadInput("export_actions_usage", given=text)
    return words[0].lower(), PlanFilters(theme, agency, "open" in flags, "overdue" in flags, "by_agency" in flags)


def export_actions(inv: Invocation) -> None:
    fmt, filters = parse_plan_export(inv.rest)
    plan = exports.export_plan(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                               reader=reader(inv, "export.actions"), filters=filters,
                               theme_names=[t for names in inv.deps.catalogue.values() for t in names])
    content = plan_csv(plan) if fmt == "csv" else plan_markdown(plan) if fmt == "md" else plan_html(plan)
    inv.client.files_upload_v2(channel=inv.channel_id, content=content, filename=f"action-plan.{fmt}",
                               title=f"{plan.group}: action plan",
                               initial_comment=inv.deps.texts.ui("plan_file_comment", group=plan.group,
                                                                 n=len(plan.rows),
                                                                 filters=", ".join(plan.filters.words)))


def export_checkins(inv: Invocation) -> None:
    """Chairs only, and by DM: the file holds answers meant for the chairs alone."""
    if inv.rest.lower().split() != ["csv"]:
        raise BadInput("export_checkins_usage", given=inv.rest)
    labels = {q.key: q.label for q in inv.deps.texts.checkin_questions}
    export = exports.export_checkins(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                     channel_id=inv.channel_id, actor=inv.user_id, labels=labels)
    texts = inv.deps.texts
    dm = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
    inv.client.files_upload_v2(channel=dm, content=checkins_csv(export), filename="checkins.csv",
                               title=f"{export.group}: weekly check-ins",
                               initial_comment=texts.ui("checkins_file_comment", group=export.group,
                                                        n=len(export.rows)))
    inv.tell(texts.ui("checkins_file_sent", group=export.group, n=len(export.rows)))


def report_command(inv: Invocation) -> None:
    """`/group report [since <date>]` now, or `/group report every <n> months|off`."""
    words = inv.rest.split()
    if words and words[0].lower() == "every":
        _schedule(inv, [w.lower() for w in words[1:]])
        return
    if words and (words[0].lower() != "since" or len(words) == 1):
        raise BadInput("group_report_usage", given=inv.rest)
    data = report.progress_report(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                  actor=inv.user_id, since=" ".join(words[1:]) or None)
    post_report(inv.client, inv.deps.texts, inv.channel_id, data)


def _schedule(inv: Invocation, words: list[str]) -> None:
    if words in (["off"], ["stop"], ["never"]):
        months = None
    elif words and words[0].isdigit() and words[1:] in ([], ["month"], ["months"]):
        months = int(words[0])
    else:
        raise BadInput("report_every_usage", given=" ".join(words))
    schedule = report_schedule.set_schedule(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                            channel_id=inv.channel_id, actor=inv.user_id, months=months)
    inv.tell(inv.deps.texts.ui("report_scheduled", group=schedule.group, months=schedule.months,
                               next=schedule.next_at))
