"""`/actions edit | merge | drop | show | by agency`: keeping the group's plan up to date and reading it by agency."""

from __future__ import annotations

from bot.domain.guardrail import scan
from bot.services import action_edits, action_merges, action_plan
from bot.texts import slack_escape
from handlers.blocks.action_edit import agency_message, detail_message, edit_modal
from handlers.blocks.guardrail import command_warning
from handlers.commands.context import Invocation
from handlers.commands.scope import reader
from handlers.ids import Act
from handlers.publish import learn_names, publish_home

AGENCY_WORDS = ("agency", "agencies", "organisation", "organisations", "organization", "lead", "lead organisation")


def edit(inv: Invocation) -> None:
    ref = inv.rest.strip()
    if not ref or len(ref.split()) > 1:
        inv.tell(inv.deps.texts.say("edit_usage"))
        return
    form = action_edits.open_edit(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                  actor=inv.user_id, ref=ref)
    inv.client.views_open(trigger_id=inv.trigger_id, view=edit_modal(form, inv.deps.texts))


def merge(inv: Invocation) -> None:
    words = inv.rest.split()
    if len(words) != 3 or words[1].lower() != "into":
        inv.tell(inv.deps.texts.say("merge_usage"))
        return
    merged = action_merges.merge_actions(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                         channel_id=inv.channel_id, actor=inv.user_id, source=words[0],
                                         target=words[2], request_key=f"cmd:{inv.trigger_id}")
    if not merged.new:
        return
    g, a = merged.group, merged.into
    text = inv.deps.texts.ui("merged_channel", merged=merged.merged.ref, into=a.ref, who=g.name_of(inv.user_id),
                             added=", ".join(g.name_of(u) for u in merged.added) or None)
    inv.client.chat_postMessage(channel=g.channel_id, text=text)
    publish_home(inv.client, inv.deps, g.team_id, merged.merged.owner_id)


def drop(inv: Invocation) -> None:
    ref, _, reason = inv.rest.strip().partition(" ")
    if not ref:
        inv.tell(inv.deps.texts.say("drop_needs_reason", ref=None))
        return
    if reason.strip() and (kinds := scan(reason)):
        # The reason is posted in the channel: a possible resident detail waits for its author, as a report does.
        key = f"cmd:{inv.trigger_id}"
        inv.tell(*command_warning(inv.deps.texts, kinds, Act.REPORT_CONFIRMED,
                                  {"text": f"{ref} dropped {reason.strip()}", "key": key}, "/actions"))
        return
    dropped = action_merges.drop_action(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                        channel_id=inv.channel_id, actor=inv.user_id, ref=ref, reason=reason,
                                        request_key=f"cmd:{inv.trigger_id}")
    if not dropped.new:
        return
    g, a, t = dropped.group, dropped.action, inv.deps.texts.ui
    inv.client.chat_postMessage(channel=g.channel_id, text=t("dropped_channel", ref=a.ref, who=g.name_of(inv.user_id),
                                                             reason=slack_escape(dropped.reason)))
    inv.tell(t("dropped_thanks", ref=a.ref))
    publish_home(inv.client, inv.deps, g.team_id, a.owner_id)


def show(inv: Invocation) -> None:
    ref = inv.rest.strip()
    if not ref or len(ref.split()) > 1:
        inv.tell(inv.deps.texts.say("show_usage"))
        return
    form = action_edits.action_detail(inv.deps.uow(), team_id=inv.team_id, channel_id=inv.channel_id,
                                      ref=ref, reader=reader(inv, "actions.show"))
    inv.tell(*detail_message(form, inv.deps.texts, form.merged_into))


def by(inv: Invocation) -> None:
    if inv.rest.strip().lower() not in AGENCY_WORDS:
        inv.tell(inv.deps.texts.say("by_usage"))
        return
    view = action_plan.agency_view(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id, channel_id=inv.channel_id,
                                   reader=reader(inv, "actions.by_agency"))
    if learn_names(inv.client, inv.deps, view.group):
        view = action_plan.agency_view(inv.deps.uow(), inv.deps.clock, team_id=inv.team_id,
                                       channel_id=inv.channel_id, reader=reader(inv, "actions.by_agency"))
    inv.tell(*agency_message(view, inv.deps.texts))
