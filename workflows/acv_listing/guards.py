"""The listing's guards: each a named check with the sentence an officer, owner or group reads when it refuses.

Referred to by name from the table in workflows.acv_listing.definition. Pure: they read the data supplied with a
trigger, the facts recorded on the case and the case's deadlines.
"""

from __future__ import annotations

from workflows import guards
from workflows.definition import Guard
from workflows.periods import RULES

contents_complete = Guard(
    "nomination_contents_complete",
    lambda ctx: not ctx.facts.get("nomination_contents_missing"),
    lambda ctx: "The nomination is missing: " + "; ".join(ctx.facts.get("nomination_contents_missing") or []),
    "ACV Regs reg.6",
)
# s.89(2), s.90(2): only a community nomination must be considered, and only land it nominates can be listed.
# A nomination from a body that may not nominate is still decided: the officer rejects it on that ground.
nominator_eligible = guards.fact_is(
    "nominator_is_eligible",
    "nominator_eligible",
    "The nominator may not make a community nomination of this land (LA 2011 s.89(2)); reject the nomination "
    "on that ground instead",
    basis="LA 2011 s.89(2), s.90(2)",
)
entry_not_before_decision = guards.not_before(
    "entry_not_before_decision",
    when="entry_date",
    start="decided_on",
    what="the date of the entry in the list",
    basis="LA 2011 s.87(3)",
)
review_in_time = guards.in_time(
    "review_request_in_time",
    when="review_request_received_on",
    timer="review_request_window",
    what="the review request",
    basis="LA 2011 s.92(2)(b); ACV Regs Sch.2 para.1",
    waiver="late_request_allowed_in_writing",
)
not_reviewed_before = guards.not_recorded(
    "not_reviewed_before", "review_decided_on", "This listing has already been reviewed", basis="LA 2011 s.92"
)
reviewer_independent = guards.took_no_part(basis="ACV Regs Sch.2 para.4")
reviewed_first = guards.recorded(
    "reviewed_before_appeal",
    "review_decided_on",
    "An appeal can only be made after the council has reviewed the listing",
    basis="ACV Regs reg.11(1)",
)
appeal_in_time = guards.in_time(
    "appeal_in_time",
    when="appeal_lodged_on",
    timer="tribunal_appeal_window",
    what="the appeal",
    basis="GRC Rules r.22(1)(b), r.12(1)",
    waiver="tribunal_extended_time",
    at="appeal_lodged_at",
    cutoff=RULES["acv.tribunal_appeal"].cutoff,
)
retention_passed = guards.period_has_ended(
    "unsuccessful_entry_five_years_old",
    timer="unsuccessful_retention",
    refusal="An unsuccessful entry may only be removed after it has been on the list for 5 years",
    basis="LA 2011 s.93(3)(a)",
)
