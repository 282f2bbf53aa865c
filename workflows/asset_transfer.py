"""Community asset transfer in England: one group's application for one council asset, under the council's policy.

STATUTE.md §4.1-4.3, stages T1-T11. The process is the council's own policy,
not statute, so its target times come from the policy the case pinned when it
started; the statutory hooks are the law's: advertising the disposal of open
space for two consecutive weeks and considering objections (LGA 1972
s.123(2A)), and the right-to-bid moratorium when listed land goes by freehold
or a lease of 25 years or more to a body that is not a community interest
group (LA 2011 s.95; ACV Regs reg.13(1)), which a disposal within an earlier
notice's protected period does not need again (s.95(4)). Pure module: data
only; the guards are in workflows.asset_transfer_guards.
"""

from __future__ import annotations

from datetime import date

from workflows import asset_transfer_guards as checks
from workflows import date_bounds
from workflows.checklists import EXEMPT_DISPOSALS
from workflows.definition import (
    SAME,
    Definition,
    Field,
    FieldKind,
    Notice,
    State,
    Timer,
    TimerVariant,
    Transition,
)
from workflows.policies import MAX_EOI_CRITERIA, TENURES
from workflows.roles import GROUP_OR_OFFICER, OFFICER, SYSTEM, Party, Role

NAME = "asset_transfer"

BEFORE_DECISION = (
    "enquiry", "suitability_checked", "eoi_invited", "eoi_submitted", "business_case_invited", "panel_assessment",
    "recommended",
)  # fmt: skip
OPEN = (*BEFORE_DECISION, "approved", "pre_completion", "heads_of_terms")


def after_scores_voided(state: str) -> str | None:
    """The trigger an assessor's late declaration of interest fires in `state`, once it voids scores: a
    recommendation made on them goes back to the panel. None where nothing follows."""
    return "return_to_panel" if state == "recommended" else None


TENURE_CHOICES = tuple((t.id, t.label) for t in TENURES)

STATES = (
    State("draft", "Draft enquiry", description="Being written by the group; not yet sent."),
    State("enquiry", "Enquiry received", description="The council checks whether the asset is available."),
    State("suitability_checked", "Asset checked", description="Surplus, restrictions, listing and open space."),
    State("eoi_invited", "Expressions of interest invited", public=True, description="The window is open."),
    State("eoi_submitted", "Expression of interest received", description="Checked against the criteria."),
    State("business_case_invited", "Business case invited", description="The group prepares its case."),
    State("panel_assessment", "Panel assessment", description="Each assessor scores each criterion."),
    State("recommended", "Recommendation made", description="Waiting for the decision-maker."),
    State("approved", "Approved in principle", public=True),
    State("pre_completion", "Statutory steps before completion", public=True,
          description="Open-space advertisement and objections; the moratorium on listed land."),
    State("heads_of_terms", "Heads of terms agreed", public=True, description="Legal completion to follow."),
    State("monitoring", "Transferred: monitoring", public=True, description="Annual reviews of the agreement."),
    State("ended", "Agreement ended", terminal=True, public=True),
    State("refused", "Refused", terminal=True, public=True),
    State("withdrawn", "Withdrawn", terminal=True),
    State("lapsed", "Lapsed", terminal=True,
          description="No expression of interest, or no business case, arrived in time."),
)  # fmt: skip


def _date(name: str, label: str, *, allow_future: bool = False, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, required=required, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True, hint: str = "", max_length: int = 5000) -> Field:
    return Field(name, FieldKind.TEXT, label, required=required, hint=hint, max_length=max_length)


# The assessment's reasons are every criterion's reasons put together (each up to 5,000 characters).
_ASSESSMENT = 5000 * MAX_EOI_CRITERIA


_BEST_CONSIDERATION = (
    "Confirm best consideration, a short tenancy, or that the General Disposal Consent covers the undervalue "
    "(LGA 1972 s.123(2))"
)

_DECISION_BODY = _text(
    "decision_body",
    "body that decided, if not the one the council's policy names",
    required=False,
    hint="Leave empty for the body the policy names",
)
_EXEMPTIONS = tuple((item.id, item.text) for item in EXEMPT_DISPOSALS)
RIVALS_OUTCOMES = (
    ("refuse", "Refuse the other applications for this asset, telling each group why"),
    ("reserve", "Keep the other applications in reserve, in case this transfer does not go ahead"),
)
_JOINING = frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER, Role.SYSTEM})


TIMERS = (
    Timer("enquiry_reply", "policy.enquiry_reply", "enquiry_received_on", frozenset({"enquiry"}),
          "Reply to the enquiry", escalate=True, reminders=(7,), remind=(Party.OFFICER,)),
    Timer("eoi_window", "policy.eoi_window", "eoi_invited_on", frozenset({"eoi_invited"}),
          "Expressions of interest close", on_expiry="eoi_window_closes", reminders=(7,), remind=(Party.APPLICANT,),
          public=True,
          variant=TimerVariant("eoi_window_closes_on", "asset_transfer.eoi_window_advertised", "eoi_window_closes_on")),
    Timer("eoi_assessment", "policy.eoi_assessment", "eoi_received_on", frozenset({"eoi_submitted"}),
          "Tell the group whether its expression of interest passed", escalate=True, reminders=(7,),
          remind=(Party.OFFICER,)),
    Timer("business_case", "policy.business_case", "eoi_assessed_on", frozenset({"business_case_invited"}),
          "Business case due", on_expiry="lapse", reminders=(14, 7, 1), remind=(Party.APPLICANT, Party.OFFICER)),
    Timer("assessment", "policy.assessment", "business_case_received_on", frozenset({"panel_assessment"}),
          "Panel assessment due", escalate=True, reminders=(7,), remind=(Party.OFFICER,),
          armed_by=frozenset({"submit_business_case"})),
    Timer("decision", "policy.decision", "recommended_on", frozenset({"recommended"}), "Decision due",
          escalate=True, reminders=(14,), remind=(Party.OFFICER,), armed_by=frozenset({"recommend", "defer"}),
          variant=TimerVariant("decide_by", "asset_transfer.decide_by", "decide_by")),
    Timer("objections", "asset_transfer.objections_close", "objections_close_on", frozenset({"pre_completion"}),
          "Objections to the open-space disposal close", armed_by=frozenset({"record_open_space_advert"}),
          reminders=(1,), remind=(Party.OFFICER,), public=True),
    Timer("completion", "policy.completion", "decided_on", frozenset({"approved", "pre_completion", "heads_of_terms"}),
          "Completion target", escalate=True, reminders=(14,), remind=(Party.OFFICER,)),
    Timer("annual_review", "policy.annual_review", "completed_on", frozenset({"monitoring"}), "Annual review due",
          escalate=True, reminders=(28,), remind=(Party.OFFICER, Party.APPLICANT),
          armed_by=frozenset({"complete", "record_annual_review"}),
          variant=TimerVariant("reviewed_on", "policy.annual_review", "reviewed_on")),
)  # fmt: skip

CAT_ENQUIRY = Notice("cat_enquiry", (Party.APPLICANT,), "Council policy (T1)", "Your enquiry has been received")
CAT_EOI_INVITED = Notice(
    "cat_eoi_invited", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T3)", "Expressions of interest invited"
)
CAT_EOI_PASSED = Notice(
    "cat_eoi_passed",
    (Party.APPLICANT,),
    "Council policy (T4)",
    "Your expression of interest passed: please send a business case",
)
CAT_REFUSED = Notice(
    "cat_refused", (Party.APPLICANT,), "Council policy (T4)", "Your expression of interest did not pass"
)
CAT_APPROVED = Notice(
    "cat_approved", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T7)", "Asset transfer approved in principle"
)
CAT_REFUSED_ON_CLOSE_AS_RIVAL = Notice(
    "cat_refused", (Party.APPLICANT,), "Council policy (T7)", "Another application for the asset was approved"
)
CAT_RIVAL_APPROVED = Notice(
    "cat_rival_approved",
    (Party.APPLICANT,),
    "Council policy (T7)",
    "Another application for the asset was approved: yours is kept in reserve",
)
CAT_LAPSED = Notice(
    "cat_lapsed",
    (Party.APPLICANT,),
    "Council policy (T3)",
    "Your application has lapsed: no expression of interest in the window",
)
CAT_REFUSED_ON_REFUSE = Notice(
    "cat_refused", (Party.APPLICANT,), "Council policy (T7)", "Your application was not approved"
)
CAT_REFUSED_ON_DECLINE = Notice("cat_refused", (Party.APPLICANT,), "Council policy (T2)", "The asset is not available")
CAT_COMPLETED = Notice(
    "cat_completed", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T9)", "Asset transfer completed"
)
CAT_LAPSED_ON_LAPSE = Notice("cat_lapsed", (Party.APPLICANT,), "Council policy (T11)", "Your application has lapsed")


TRANSITIONS = (
    Transition(
        trigger="enquire",
        source="draft",
        dest="enquiry",
        who=GROUP_OR_OFFICER,
        label="Send the enquiry",
        basis="Council policy (T1)",
        fields=(
            _date("enquiry_received_on", "date the council received the enquiry", stamped=True),
            _text("proposed_use", "what the group would use the asset for"),
            Field("tenure_sought", FieldKind.CHOICE, "kind of transfer sought", choices=TENURE_CHOICES),
        ),
        facts=("listing_status",),
        notices=(CAT_ENQUIRY,),
    ),
    Transition(
        trigger="check_suitability",
        source="enquiry",
        dest="suitability_checked",
        who=OFFICER,
        label="Record the asset check",
        basis="Council policy (T2); LGA 1972 s.123; LA 2011 s.87",
        fields=(
            _date("checked_on", "date of the check"),
            Field("surplus", FieldKind.BOOL, "answer to whether the asset is surplus to the council's needs"),
            Field("open_space", FieldKind.BOOL, "answer to whether the land is open space"),
            _text("restrictions", "restrictions on the title, trusts or statutory duties", required=False),
        ),
        guards=(checks.surplus,),
        tasks=(
            (
                "If the land is open space, advertise the disposal for two consecutive weeks before completion "
                "(LGA 1972 s.123(2A))"
            ),
            (
                "If the asset is on the list of assets of community value (the register says so above), a freehold or "
                "a lease of 25 years or more to a body that is not a community interest group needs the moratorium "
                "(LA 2011 s.95)"
            ),
            "Share running costs, servicing and any condition survey with the group",
        ),
        facts=("listing_status",),
    ),
    Transition(
        trigger="decline",
        source=("enquiry", "suitability_checked"),
        dest="refused",
        who=OFFICER,
        label="Decline the enquiry",
        basis="Council policy (T2)",
        fields=(_date("decided_on", "date of the decision"), _text("reasons", "reasons")),
        decision=True,
        notices=(CAT_REFUSED_ON_DECLINE,),
    ),
    Transition(
        trigger="invite_eoi",
        source="suitability_checked",
        dest="eoi_invited",
        who=OFFICER,
        label="Invite expressions of interest",
        basis="Council policy (T3)",
        fields=(_date("eoi_invited_on", "date the opportunity was advertised"),),
        tasks=(
            "Advertise the opportunity: website, letters to residents, an open day at the building",
            "Where the policy advertises per asset, every group that applies while the window is open joins it",
        ),
        notices=(CAT_EOI_INVITED,),
    ),
    Transition(
        trigger="join_eoi_window",
        source="enquiry",
        dest="eoi_invited",
        who=_JOINING,
        label="Join the advertised window for this asset",
        basis="Council policy (T3)",
        guards=(checks.advertised_window,),
        facts=("eoi_window",),
    ),
    Transition(
        trigger="submit_eoi",
        source="eoi_invited",
        dest="eoi_submitted",
        who=GROUP_OR_OFFICER,
        label="Send the expression of interest",
        basis="Council policy (T4)",
        fields=(
            _date("eoi_received_on", "date the council received the expression of interest", stamped=True),
            _text("activities", "services and activities planned"),
            _text("community_benefit", "outcomes, need and community support"),
            _text("track_record", "the group's track record and partnerships"),
            _text("running_costs_plan", "how the running costs will be met"),
            Field("tenure_sought", FieldKind.CHOICE, "kind of transfer sought", choices=TENURE_CHOICES),
        ),
        guards=(checks.eoi_in_window, checks.eligible),
        facts=("applicant_eligibility",),
    ),
    Transition(
        trigger="eoi_window_closes",
        source="eoi_invited",
        dest="lapsed",
        who=SYSTEM,
        label="Lapse: no expression of interest in the window",
        basis="Council policy (T3, T11)",
        notices=(CAT_LAPSED,),
    ),
    Transition(
        trigger="pass_eoi",
        source="eoi_submitted",
        dest="business_case_invited",
        who=OFFICER,
        label="Pass the expression of interest",
        basis="Council policy (T4-T5)",
        fields=(
            _date("eoi_assessed_on", "date of the assessment"),
            _text("eoi_reasons", "reasons, criterion by criterion", max_length=_ASSESSMENT),
        ),
        guards=(checks.eoi_passes,),
        facts=("eoi_criteria",),
        notices=(CAT_EOI_PASSED,),
    ),
    Transition(
        trigger="fail_eoi",
        source="eoi_submitted",
        dest="refused",
        who=OFFICER,
        label="Fail the expression of interest",
        basis="Council policy (T4)",
        fields=(
            _date("eoi_assessed_on", "date of the assessment"),
            _text("reasons", "reasons, criterion by criterion", max_length=_ASSESSMENT),
        ),
        guards=(checks.eoi_fails,),
        decision=True,
        facts=("eoi_criteria",),
        notices=(CAT_REFUSED,),
    ),
    Transition(
        trigger="submit_business_case",
        source="business_case_invited",
        dest="panel_assessment",
        who=GROUP_OR_OFFICER,
        label="Send the business case",
        basis="Council policy (T5)",
        fields=(
            _date("business_case_received_on", "date the council received the business case", stamped=True),
            _text("business_plan", "business plan summary"),
            _text("funding", "funding secured and sought"),
            _text("governance", "governance and management of the asset"),
        ),
    ),
    Transition(
        trigger="recommend",
        source="panel_assessment",
        dest="recommended",
        who=OFFICER,
        label="Record the panel's recommendation",
        basis="Council policy (T6)",
        fields=(_date("recommended_on", "date of the recommendation"),),
        guards=(checks.scored,),
        facts=("recommendation",),
    ),
    Transition(
        trigger="return_to_panel",
        source="recommended",
        dest="panel_assessment",
        who=SYSTEM,
        label="Return to the panel: an assessor's scores were withdrawn",
        basis="Council policy (T6)",
    ),
    Transition(
        trigger="approve",
        source="recommended",
        dest="approved",
        who=OFFICER,
        label="Record approval in principle",
        basis="Council policy (T7); LGA 1972 s.123(2); General Disposal Consent (England) 2003",
        fields=(
            _date("decided_on", "date of the decision"),
            _DECISION_BODY,
            Field("tenure", FieldKind.CHOICE, "tenure agreed", choices=TENURE_CHOICES),
            _text("reasons", "reasons"),
            _text(
                "ranking_reasons",
                "reasons for choosing this application over one ranked the same or higher",
                required=False,
            ),
            Field(
                "rivals_outcome",
                FieldKind.CHOICE,
                "what happens to the other applications for this asset",
                choices=RIVALS_OUTCOMES,
                required=False,
            ),
        ),
        guards=(
            checks.recommended,
            checks.not_already,
            checks.tenure_offered,
            checks.tie,
            checks.departure,
            checks.rivals,
        ),
        decision=True,
        tasks=(_BEST_CONSIDERATION,),
        effects=("decide_rivals",),
        facts=("approval",),
        notices=(CAT_APPROVED,),
    ),
    Transition(
        trigger="refuse",
        source="recommended",
        dest="refused",
        who=OFFICER,
        label="Refuse",
        basis="Council policy (T7)",
        fields=(_date("decided_on", "date of the decision"), _DECISION_BODY, _text("reasons", "reasons")),
        decision=True,
        facts=("decision_body",),
        notices=(CAT_REFUSED_ON_REFUSE,),
    ),
    Transition(
        trigger="defer",
        source="recommended",
        dest=SAME,
        who=OFFICER,
        label="Defer the decision",
        basis="Council policy (T7)",
        fields=(
            _date("deferred_on", "date of the deferral"),
            _DECISION_BODY,
            _text("deferral_reasons", "what the decision-maker needs"),
            _date("decide_by", "date the decision is now expected", allow_future=True),
        ),
        guards=(checks.decide_by,),
        facts=("decision_body",),
    ),
    Transition(
        trigger="close_as_rival",
        source=BEFORE_DECISION,
        dest="refused",
        who=SYSTEM,
        label="Refuse: another application was approved",
        basis="Council policy (T7)",
        fields=(_date("decided_on", "date of the decision"), _text("reasons", "reasons")),
        notices=(CAT_REFUSED_ON_CLOSE_AS_RIVAL,),
    ),
    Transition(
        trigger="note_rival_approved",
        source=BEFORE_DECISION,
        dest=SAME,
        who=SYSTEM,
        label="Keep in reserve: another application was approved",
        basis="Council policy (T7)",
        fields=(
            _date("rival_approved_on", "date the other application was approved"),
            _text("rival_approved", "reference of the application approved"),
        ),
        notices=(CAT_RIVAL_APPROVED,),
    ),
    Transition(
        trigger="begin_pre_completion",
        source="approved",
        dest="pre_completion",
        who=OFFICER,
        label="Start the steps before completion",
        basis="LGA 1972 s.123(2A); LA 2011 s.95(2)-(5)",
        fields=(
            _date("pre_completion_started_on", "date the steps started"),
            _date(
                "council_notice_on",
                "date the council gave itself notice of the disposal (listed land only)",
                required=False,
            ),
            Field(
                "moratorium_exemption",
                FieldKind.CHOICE,
                "exemption from the moratorium that applies to this disposal, if one does",
                choices=_EXEMPTIONS,
                required=False,
                hint="LA 2011 s.95(5); ACV Regs Sch.3",
            ),
        ),
        guards=(checks.council_notice, checks.one_notice),
        effects=("council_gives_notice",),
        facts=("pre_completion",),
    ),
    Transition(
        trigger="give_council_notice",
        source=("pre_completion", "heads_of_terms"),
        dest=SAME,
        who=OFFICER,
        label="Record the council's notice of the disposal",
        basis="LA 2011 s.95(2)",
        fields=(_date("council_notice_on", "date the council gave itself notice of the disposal"),),
        guards=(checks.notice_needed,),
        effects=("open_moratorium_on_later_notice",),
        facts=("later_notice",),
    ),
    Transition(
        trigger="record_open_space_advert",
        source="pre_completion",
        dest=SAME,
        who=OFFICER,
        label="Record the open-space advertisement",
        basis="LGA 1972 s.123(2A)",
        fields=(
            _text("newspaper", "newspaper circulating in the area"),
            _date("advert_first_published_on", "date of the first notice"),
            _date("advert_second_published_on", "date of the second notice"),
            _date("objections_close_on", "closing date for objections the notice gives", allow_future=True),
        ),
        guards=(checks.open_space, checks.consecutive, checks.objections_period),
        facts=("objections",),
    ),
    Transition(
        trigger="record_objections",
        source="pre_completion",
        dest=SAME,
        who=OFFICER,
        label="Record that objections were considered",
        basis="LGA 1972 s.123(2A)",
        fields=(
            _date("objections_considered_on", "date the objections were considered"),
            _text("objections_summary", "objections received and how each was considered"),
        ),
        guards=(checks.open_space, checks.advertised, checks.objections_after_advert),
    ),
    Transition(
        trigger="agree_heads_of_terms",
        source="pre_completion",
        dest="heads_of_terms",
        who=OFFICER,
        label="Record the agreed heads of terms",
        basis="Council policy (T9)",
        fields=(_date("heads_agreed_on", "date the heads of terms were agreed"), _text("heads_summary", "main terms")),
        guards=(checks.open_space_steps,),
    ),
    Transition(
        trigger="complete",
        source="heads_of_terms",
        dest="monitoring",
        who=OFFICER,
        label="Record legal completion",
        basis="Council policy (T9); LGA 1972 s.123(2A); LA 2011 s.95",
        fields=(_date("completed_on", "date of completion"),),
        guards=(checks.open_space_steps, checks.moratorium, checks.not_barred),
        tasks=("Register the transfer at HM Land Registry",),
        effects=("record_disposal_on_land",),
        facts=("completion",),
        notices=(CAT_COMPLETED,),
    ),
    Transition(
        trigger="record_annual_review",
        source="monitoring",
        dest=SAME,
        who=OFFICER,
        label="Record the annual review",
        basis="Council policy (T10)",
        fields=(_date("reviewed_on", "date of the review"), _text("review_notes", "targets met and actions agreed")),
    ),
    Transition(
        trigger="end_agreement",
        source="monitoring",
        dest="ended",
        who=OFFICER,
        label="Record the end of the agreement",
        basis="Council policy (T10)",
        fields=(_date("ended_on", "date the agreement ended"), _text("reasons", "reasons")),
    ),
    Transition(
        trigger="withdraw",
        source=("draft", *OPEN),
        dest="withdrawn",
        who=GROUP_OR_OFFICER,
        label="Withdraw the application",
        basis="Council policy (T11)",
        fields=(_text("withdrawal_reasons", "reason for withdrawing", required=False),),
    ),
    Transition(
        trigger="lapse",
        source="business_case_invited",
        dest="lapsed",
        who=SYSTEM,
        label="Lapse: no business case arrived in time",
        basis="Council policy (T11)",
        notices=(CAT_LAPSED_ON_LAPSE,),
    ),
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
    policy_periods=(
        "enquiry_reply", "eoi_window", "eoi_assessment", "business_case", "assessment", "decision", "completion",
        "annual_review",
    ),
)  # fmt: skip
