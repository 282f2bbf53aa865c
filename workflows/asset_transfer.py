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

TRANSITIONS = (
    Transition(
        "enquire", ("draft",), "enquiry", GROUP_OR_OFFICER, "Send the enquiry", "Council policy (T1)",
        fields=(_date("enquiry_received_on", "date the council received the enquiry", stamped=True),
                _text("proposed_use", "what the group would use the asset for"),
                Field("tenure_sought", FieldKind.CHOICE, "kind of transfer sought", choices=TENURE_CHOICES)),
        facts=("listing_status",),
    ),
    Transition(
        "check_suitability", ("enquiry",), "suitability_checked", OFFICER, "Record the asset check",
        "Council policy (T2); LGA 1972 s.123; LA 2011 s.87",
        fields=(_date("checked_on", "date of the check"),
                Field("surplus", FieldKind.BOOL, "answer to whether the asset is surplus to the council's needs"),
                Field("open_space", FieldKind.BOOL, "answer to whether the land is open space"),
                _text("restrictions", "restrictions on the title, trusts or statutory duties", required=False)),
        guards=(checks.surplus,),
        tasks=(("If the land is open space, advertise the disposal for two consecutive weeks before completion "
               "(LGA 1972 s.123(2A))"),
               ("If the asset is on the list of assets of community value (the register says so above), a freehold or "
                "a lease of 25 years or more to a body that is not a community interest group needs the moratorium "
                "(LA 2011 s.95)"),
               "Share running costs, servicing and any condition survey with the group"),
        facts=("listing_status",),
    ),
    Transition(
        "decline", ("enquiry", "suitability_checked"), "refused", OFFICER, "Decline the enquiry",
        "Council policy (T2)",
        fields=(_date("decided_on", "date of the decision"), _text("reasons", "reasons")), decision=True,
    ),
    Transition(
        "invite_eoi", ("suitability_checked",), "eoi_invited", OFFICER, "Invite expressions of interest",
        "Council policy (T3)", fields=(_date("eoi_invited_on", "date the opportunity was advertised"),),
        tasks=("Advertise the opportunity: website, letters to residents, an open day at the building",
               "Where the policy advertises per asset, every group that applies while the window is open joins it"),
    ),
    Transition(
        "join_eoi_window", ("enquiry",), "eoi_invited", _JOINING, "Join the advertised window for this asset",
        "Council policy (T3)", guards=(checks.advertised_window,),
        facts=("eoi_window",),
    ),
    Transition(
        "submit_eoi", ("eoi_invited",), "eoi_submitted", GROUP_OR_OFFICER, "Send the expression of interest",
        "Council policy (T4)",
        fields=(_date("eoi_received_on", "date the council received the expression of interest", stamped=True),
                _text("activities", "services and activities planned"),
                _text("community_benefit", "outcomes, need and community support"),
                _text("track_record", "the group's track record and partnerships"),
                _text("running_costs_plan", "how the running costs will be met"),
                Field("tenure_sought", FieldKind.CHOICE, "kind of transfer sought", choices=TENURE_CHOICES)),
        guards=(checks.eoi_in_window, checks.eligible),
        facts=("applicant_eligibility",),
    ),
    Transition(
        "eoi_window_closes", ("eoi_invited",), "lapsed", SYSTEM, "Lapse: no expression of interest in the window",
        "Council policy (T3, T11)",
    ),
    Transition(
        "pass_eoi", ("eoi_submitted",), "business_case_invited", OFFICER, "Pass the expression of interest",
        "Council policy (T4-T5)",
        fields=(_date("eoi_assessed_on", "date of the assessment"),
                _text("eoi_reasons", "reasons, criterion by criterion", max_length=_ASSESSMENT)),
        guards=(checks.eoi_passes,),
        facts=("eoi_criteria",),
    ),
    Transition(
        "fail_eoi", ("eoi_submitted",), "refused", OFFICER, "Fail the expression of interest", "Council policy (T4)",
        fields=(_date("eoi_assessed_on", "date of the assessment"),
                _text("reasons", "reasons, criterion by criterion", max_length=_ASSESSMENT)),
        guards=(checks.eoi_fails,), decision=True,
        facts=("eoi_criteria",),
    ),
    Transition(
        "submit_business_case", ("business_case_invited",), "panel_assessment", GROUP_OR_OFFICER,
        "Send the business case", "Council policy (T5)",
        fields=(_date("business_case_received_on", "date the council received the business case", stamped=True),
                _text("business_plan", "business plan summary"), _text("funding", "funding secured and sought"),
                _text("governance", "governance and management of the asset")),
    ),
    Transition(
        "recommend", ("panel_assessment",), "recommended", OFFICER, "Record the panel's recommendation",
        "Council policy (T6)", fields=(_date("recommended_on", "date of the recommendation"),), guards=(checks.scored,),
        facts=("recommendation",),
    ),
    Transition(
        "return_to_panel", ("recommended",), "panel_assessment", SYSTEM,
        "Return to the panel: an assessor's scores were withdrawn", "Council policy (T6)",
    ),
    Transition(
        "approve", ("recommended",), "approved", OFFICER, "Record approval in principle", "Council policy (T7); "
        "LGA 1972 s.123(2); General Disposal Consent (England) 2003",
        fields=(_date("decided_on", "date of the decision"), _DECISION_BODY,
                Field("tenure", FieldKind.CHOICE, "tenure agreed", choices=TENURE_CHOICES),
                _text("reasons", "reasons"),
                _text("ranking_reasons", "reasons for choosing this application over one ranked the same or higher",
                      required=False),
                Field("rivals_outcome", FieldKind.CHOICE, "what happens to the other applications for this asset",
                      choices=RIVALS_OUTCOMES, required=False)),
        guards=(checks.recommended, checks.not_already, checks.tenure_offered, checks.tie, checks.departure,
                checks.rivals),
        decision=True,
        tasks=(_BEST_CONSIDERATION,),
        effects=("decide_rivals",),
        facts=("approval",),
    ),
    Transition(
        "refuse", ("recommended",), "refused", OFFICER, "Refuse", "Council policy (T7)",
        fields=(_date("decided_on", "date of the decision"), _DECISION_BODY, _text("reasons", "reasons")),
        decision=True,
        facts=("decision_body",),
    ),
    Transition(
        "defer", ("recommended",), SAME, OFFICER, "Defer the decision", "Council policy (T7)",
        fields=(_date("deferred_on", "date of the deferral"), _DECISION_BODY,
                _text("deferral_reasons", "what the decision-maker needs"),
                _date("decide_by", "date the decision is now expected", allow_future=True)),
        guards=(checks.decide_by,),
        facts=("decision_body",),
    ),
    Transition(
        "close_as_rival", BEFORE_DECISION, "refused", SYSTEM, "Refuse: another application was approved",
        "Council policy (T7)",
        fields=(_date("decided_on", "date of the decision"), _text("reasons", "reasons")),
    ),
    Transition(
        "note_rival_approved", BEFORE_DECISION, SAME, SYSTEM, "Keep in reserve: another application was approved",
        "Council policy (T7)",
        fields=(_date("rival_approved_on", "date the other application was approved"),
                _text("rival_approved", "reference of the application approved")),
    ),
    Transition(
        "begin_pre_completion", ("approved",), "pre_completion", OFFICER, "Start the steps before completion",
        "LGA 1972 s.123(2A); LA 2011 s.95(2)-(5)",
        fields=(_date("pre_completion_started_on", "date the steps started"),
                _date("council_notice_on", "date the council gave itself notice of the disposal (listed land only)",
                      required=False),
                Field("moratorium_exemption", FieldKind.CHOICE,
                      "exemption from the moratorium that applies to this disposal, if one does", choices=_EXEMPTIONS,
                      required=False, hint="LA 2011 s.95(5); ACV Regs Sch.3")),
        guards=(checks.council_notice, checks.one_notice),
        effects=("council_gives_notice",),
        facts=("pre_completion",),
    ),
    Transition(
        "give_council_notice", ("pre_completion", "heads_of_terms"), SAME, OFFICER,
        "Record the council's notice of the disposal", "LA 2011 s.95(2)",
        fields=(_date("council_notice_on", "date the council gave itself notice of the disposal"),),
        guards=(checks.notice_needed,),
        effects=("open_moratorium_on_later_notice",),
        facts=("later_notice",),
    ),
    Transition(
        "record_open_space_advert", ("pre_completion",), SAME, OFFICER, "Record the open-space advertisement",
        "LGA 1972 s.123(2A)",
        fields=(_text("newspaper", "newspaper circulating in the area"),
                _date("advert_first_published_on", "date of the first notice"),
                _date("advert_second_published_on", "date of the second notice"),
                _date("objections_close_on", "closing date for objections the notice gives", allow_future=True)),
        guards=(checks.open_space, checks.consecutive, checks.objections_period),
        facts=("objections",),
    ),
    Transition(
        "record_objections", ("pre_completion",), SAME, OFFICER, "Record that objections were considered",
        "LGA 1972 s.123(2A)",
        fields=(_date("objections_considered_on", "date the objections were considered"),
                _text("objections_summary", "objections received and how each was considered")),
        guards=(checks.open_space, checks.advertised, checks.objections_after_advert),
    ),
    Transition(
        "agree_heads_of_terms", ("pre_completion",), "heads_of_terms", OFFICER, "Record the agreed heads of terms",
        "Council policy (T9)",
        fields=(_date("heads_agreed_on", "date the heads of terms were agreed"), _text("heads_summary", "main terms")),
        guards=(checks.open_space_steps,),
    ),
    Transition(
        "complete", ("heads_of_terms",), "monitoring", OFFICER, "Record legal completion",
        "Council policy (T9); LGA 1972 s.123(2A); LA 2011 s.95",
        fields=(_date("completed_on", "date of completion"),),
        guards=(checks.open_space_steps, checks.moratorium, checks.not_barred),
        tasks=("Register the transfer at HM Land Registry",),
        effects=("record_disposal_on_land",),
        facts=("completion",),
    ),
    Transition(
        "record_annual_review", ("monitoring",), SAME, OFFICER, "Record the annual review", "Council policy (T10)",
        fields=(_date("reviewed_on", "date of the review"), _text("review_notes", "targets met and actions agreed")),
    ),
    Transition(
        "end_agreement", ("monitoring",), "ended", OFFICER, "Record the end of the agreement", "Council policy (T10)",
        fields=(_date("ended_on", "date the agreement ended"), _text("reasons", "reasons")),
    ),
    Transition(
        "withdraw", ("draft", *OPEN), "withdrawn", GROUP_OR_OFFICER, "Withdraw the application", "Council policy (T11)",
        fields=(_text("withdrawal_reasons", "reason for withdrawing", required=False),),
    ),
    Transition(
        "lapse", ("business_case_invited",), "lapsed", SYSTEM, "Lapse: no business case arrived in time",
        "Council policy (T11)",
    ),
)  # fmt: skip

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

NOTICES = (
    Notice("enquire", "cat_enquiry", (Party.APPLICANT,), "Council policy (T1)", "Your enquiry has been received"),
    Notice("invite_eoi", "cat_eoi_invited", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T3)",
           "Expressions of interest invited"),
    Notice("pass_eoi", "cat_eoi_passed", (Party.APPLICANT,), "Council policy (T4)",
           "Your expression of interest passed: please send a business case"),
    Notice("fail_eoi", "cat_refused", (Party.APPLICANT,), "Council policy (T4)",
           "Your expression of interest did not pass"),
    Notice("approve", "cat_approved", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T7)",
           "Asset transfer approved in principle"),
    Notice("close_as_rival", "cat_refused", (Party.APPLICANT,), "Council policy (T7)",
           "Another application for the asset was approved"),
    Notice("note_rival_approved", "cat_rival_approved", (Party.APPLICANT,), "Council policy (T7)",
           "Another application for the asset was approved: yours is kept in reserve"),
    Notice("eoi_window_closes", "cat_lapsed", (Party.APPLICANT,), "Council policy (T3)",
           "Your application has lapsed: no expression of interest in the window"),
    Notice("refuse", "cat_refused", (Party.APPLICANT,), "Council policy (T7)", "Your application was not approved"),
    Notice("decline", "cat_refused", (Party.APPLICANT,), "Council policy (T2)", "The asset is not available"),
    Notice("complete", "cat_completed", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T9)",
           "Asset transfer completed"),
    Notice("lapse", "cat_lapsed", (Party.APPLICANT,), "Council policy (T11)", "Your application has lapsed"),
)  # fmt: skip

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
    notices=NOTICES,
    reference_prefix="CAT",
    fact_dates=("eoi_window_closes_on", "objections_earliest_close"),
    policy_periods=(
        "enquiry_reply", "eoi_window", "eoi_assessment", "business_case", "assessment", "decision", "completion",
        "annual_review",
    ),
)  # fmt: skip
