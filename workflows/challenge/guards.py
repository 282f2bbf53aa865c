"""The right to challenge's guards: each a named check with the sentence a group or officer reads when it refuses.

Referred to by name from the table in workflows.challenge.definition. Pure: they read the data supplied with a
trigger, the facts recorded on the case and the case's deadlines (some of them the council's published periods).
"""

from __future__ import annotations

from workflows import guards
from workflows.definition import Guard, GuardContext
from workflows.roles import Role

relevant_body = guards.fact_is(
    "relevant_body",
    "relevant_body",
    "Only a relevant body may express an interest",
    basis="LA 2011 s.81(6)",
)
service_open = guards.fact_is(
    "service_open_to_challenge",
    "service_known",
    "The council has not listed that service as open to challenge",
    basis="LA 2011 s.81(5); SI 2012/1313 reg.4, Sch.2",
)
received_in_window = guards.fact_is(
    "received_when_the_council_accepts_them",
    "window_ok",
    "The expression of interest was received outside the council's published window",
    basis="LA 2011 s.82(4)",
)


def _window_or_choice(ctx: GuardContext) -> bool:
    """s.82(4) lets the council refuse to consider a late one, not forbids it: an officer may record that it will."""
    chosen = ctx.role is Role.OFFICER and ctx.data.get("consider_outside_window") is True
    return chosen or received_in_window.check(ctx)


in_window = Guard(received_in_window.name, _window_or_choice, received_in_window.refusal, received_in_window.basis)


def _engagement_given(ctx: GuardContext) -> bool:
    return not ctx.facts.get("body_is_employee_group") or bool(ctx.data.get("employee_engagement"))


employees_engaged = Guard(
    "employee_engagement_described",
    _engagement_given,
    "An employee group must say how it will engage the other employees affected",
    "SI 2012/1313 Sch.1 para.5",
)
expected_within_maximum = guards.in_time(
    "expected_within_published_maximum",
    when="expected_decision_by",
    timer="decision_due",
    what="the date the decision is expected",
    basis="LA 2011 s.84(3), (6)",
)
notified_not_before_decision = guards.not_before(
    "notified_not_before_decision",
    when="decision_notified_on",
    start="decided_on",
    what="the notification",
    basis="LA 2011 s.84(8)",
)
body_agreed = guards.data_is(
    "body_agreed_the_modification",
    "body_agreed_modification",
    "The council may modify an expression of interest only with the group's agreement",
    basis="LA 2011 s.84(2)",
)
procurement_not_too_early = guards.not_before_deadline(
    "procurement_not_before_published_minimum",
    when="procurement_started_on",
    timer="procurement_earliest",
    what="the procurement exercise",
    basis="LA 2011 s.83(4), (7)",
)
procurement_in_time = guards.in_time(
    "procurement_by_published_maximum",
    when="procurement_started_on",
    timer="procurement_latest",
    what="the start of the procurement exercise",
    basis="LA 2011 s.83(4), (7)",
)
