"""Community asset transfer in England as a table: who may move an application on, from where to where, and why.

Rows follow STATUTE.md §4.3 (T1-T11), in two parts: the application up to the decision (`application`, T1-T7) and
the approved transfer to its end (`completion`, T8-T11). The process is the council's own policy, so its target
times come from the policy the case pinned when it started; the law's hooks are in the rows too (T8): open space
advertised and objections considered (LGA 1972 s.123(2A)), and the moratorium on listed land (LA 2011 s.95).
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows.asset_transfer import application, completion
from workflows.asset_transfer.states import STATES
from workflows.definition import Definition, Timer, TimerVariant
from workflows.roles import Party

NAME = "asset_transfer"

TRANSITIONS = (*application.TRANSITIONS, *completion.TRANSITIONS)

TIMERS = (
    Timer(
        "enquiry_reply",
        "policy.enquiry_reply",
        "enquiry_received_on",
        frozenset({"enquiry"}),
        "Reply to the enquiry",
        escalate=True,
        reminders=(7,),
        remind=(Party.OFFICER,),
    ),
    Timer(
        "eoi_window",
        "policy.eoi_window",
        "eoi_invited_on",
        frozenset({"eoi_invited"}),
        "Expressions of interest close",
        on_expiry="eoi_window_closes",
        reminders=(7,),
        remind=(Party.APPLICANT,),
        public=True,
        variant=TimerVariant("eoi_window_closes_on", "asset_transfer.eoi_window_advertised", "eoi_window_closes_on"),
    ),
    Timer(
        "eoi_assessment",
        "policy.eoi_assessment",
        "eoi_received_on",
        frozenset({"eoi_submitted"}),
        "Tell the group whether its expression of interest passed",
        escalate=True,
        reminders=(7,),
        remind=(Party.OFFICER,),
    ),
    Timer(
        "business_case",
        "policy.business_case",
        "eoi_assessed_on",
        frozenset({"business_case_invited"}),
        "Business case due",
        on_expiry="lapse",
        reminders=(14, 7, 1),
        remind=(Party.APPLICANT, Party.OFFICER),
    ),
    Timer(
        "assessment",
        "policy.assessment",
        "business_case_received_on",
        frozenset({"panel_assessment"}),
        "Panel assessment due",
        escalate=True,
        reminders=(7,),
        remind=(Party.OFFICER,),
        armed_by=frozenset({"submit_business_case"}),
    ),
    Timer(
        "decision",
        "policy.decision",
        "recommended_on",
        frozenset({"recommended"}),
        "Decision due",
        escalate=True,
        reminders=(14,),
        remind=(Party.OFFICER,),
        armed_by=frozenset({"recommend", "defer"}),
        variant=TimerVariant("decide_by", "asset_transfer.decide_by", "decide_by"),
    ),
    Timer(
        "objections",
        "asset_transfer.objections_close",
        "objections_close_on",
        frozenset({"pre_completion"}),
        "Objections to the open-space disposal close",
        armed_by=frozenset({"record_open_space_advert"}),
        reminders=(1,),
        remind=(Party.OFFICER,),
        public=True,
    ),
    Timer(
        "completion",
        "policy.completion",
        "decided_on",
        frozenset({"approved", "pre_completion", "heads_of_terms"}),
        "Completion target",
        escalate=True,
        reminders=(14,),
        remind=(Party.OFFICER,),
    ),
    Timer(
        "annual_review",
        "policy.annual_review",
        "completed_on",
        frozenset({"monitoring"}),
        "Annual review due",
        escalate=True,
        reminders=(28,),
        remind=(Party.OFFICER, Party.APPLICANT),
        armed_by=frozenset({"complete", "record_annual_review"}),
        variant=TimerVariant("reviewed_on", "policy.annual_review", "reviewed_on"),
    ),
)
POLICY_PERIODS = (
    "enquiry_reply",
    "eoi_window",
    "eoi_assessment",
    "business_case",
    "assessment",
    "decision",
    "completion",
    "annual_review",
)

# Which recorded dates each supplied date must not precede (the deferral, advert and objections have their own guards).
DATE_ORDER = {
    "checked_on": ("enquiry_received_on",),
    "eoi_invited_on": ("checked_on",),
    "eoi_received_on": ("eoi_invited_on",),
    "eoi_assessed_on": ("eoi_received_on",),
    "business_case_received_on": ("eoi_assessed_on",),
    "recommended_on": ("business_case_received_on",),
    "deferred_on": ("recommended_on",),
    "decided_on": ("enquiry_received_on", "recommended_on"),
    "pre_completion_started_on": ("decided_on",),
    "council_notice_on": ("decided_on",),
    "advert_first_published_on": ("decided_on",),
    "heads_agreed_on": ("pre_completion_started_on",),
    "completed_on": ("heads_agreed_on",),
    "reviewed_on": ("completed_on",),
    "ended_on": ("completed_on",),
}


def after_scores_voided(state: str) -> str | None:
    """The trigger an assessor's late declaration of interest fires in `state`, once it voids scores: a
    recommendation made on them goes back to the panel. None where nothing follows."""
    return "return_to_panel" if state == "recommended" else None


DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 1, 1),
    title="Community asset transfer (England)",
    initial="draft",
    states=STATES,
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.ENGLAND_CAT, after=DATE_ORDER),
    timers=TIMERS,
    reference_prefix="CAT",
    fact_dates=("eoi_window_closes_on", "objections_earliest_close"),
    policy_periods=POLICY_PERIODS,
)
