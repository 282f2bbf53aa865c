"""Compensation's guards: each a named check with the sentence a claimant or officer reads when it refuses.

Referred to by name from the table in workflows.compensation.definition. Pure: they read the data supplied with
a trigger, the facts recorded on the case and the case's deadlines.
"""

from __future__ import annotations

from datetime import date

from workflows import guards
from workflows.definition import Guard, GuardContext
from workflows.errors import RuleNotInForce
from workflows.periods import RULES, compute, long_date


def _claim_deadline(ctx: GuardContext) -> date | None:
    loss_ended = ctx.data.get("loss_ended_on")
    return compute("compensation.claim", loss_ended).due if isinstance(loss_ended, date) else None


def _claim_in_time(ctx: GuardContext) -> bool:
    try:
        due = _claim_deadline(ctx)
    except RuleNotInForce:  # a loss before the regime: the date's own commencement guard refuses it, in one line
        return True
    received = ctx.data.get("claim_received_on")
    return due is not None and isinstance(received, date) and received <= due


def _claim_late(ctx: GuardContext) -> str:
    due = _claim_deadline(ctx)
    when = long_date(due) if due else "13 weeks after the loss ended"
    return f"A claim must be made before the end of 13 weeks after the loss finished being incurred: by {when}"


def _loss_while_listed(ctx: GuardContext) -> bool:
    loss_ended, listed_from = ctx.data.get("loss_ended_on"), ctx.facts.get("listed_from")
    return not (isinstance(loss_ended, date) and isinstance(listed_from, date)) or loss_ended >= listed_from


def _loss_before_listing(ctx: GuardContext) -> str:
    listed_from = ctx.facts.get("listed_from")
    when = long_date(listed_from) if isinstance(listed_from, date) else "the land was listed"
    return f"The loss must have been incurred while the land was listed, and the land was first listed on {when}"


claim_in_time = Guard("claim_in_time", _claim_in_time, _claim_late, "ACV Regs reg.14(5)(b)")
# reg.14(1)-(2): an owner, or former owner, of land that is or was listed, for loss while owner and while listed.
land_listed = guards.fact_is(
    "land_is_or_was_listed",
    "land_was_listed",
    "Compensation can only be claimed for land that is or was on the list of assets of community value",
    basis="ACV Regs reg.14(1)",
)
claimant_owner = guards.fact_is(
    "claimant_is_or_was_the_owner",
    "claimant_is_owner",
    "Only the owner of the land, or a former owner, can claim compensation",
    basis="ACV Regs reg.14(1)-(2)",
)
loss_while_listed = Guard("loss_while_listed", _loss_while_listed, _loss_before_listing, "ACV Regs reg.14(2)")
not_excluded = guards.fact_is(
    "claimant_may_claim",
    "claimant_excluded",
    "Public bodies, including councils selling their own land, cannot claim compensation",
    basis="ACV Regs reg.15",
    expected=False,
)
review_in_time = guards.in_time(
    "review_request_in_time",
    when="review_request_received_on",
    timer="review_request_window",
    what="the review request",
    basis="ACV Regs Sch.2 para.2",
    waiver="late_request_allowed_in_writing",
)
appeal_in_time = guards.in_time(
    "appeal_in_time",
    when="appeal_lodged_on",
    timer="tribunal_appeal_window",
    what="the appeal",
    basis="GRC Rules r.22(1)(b), r.12(1)",
    waiver="tribunal_extended_time",
    at="appeal_lodged_at",
    cutoff=RULES["compensation.tribunal_appeal"].cutoff,
)
reviewer_independent = guards.took_no_part(basis="ACV Regs reg.16; Sch.2 para.4")
