"""Community asset transfer in England: one group's application for one council asset, under the council's policy.

STATUTE.md §4.1-4.3, stages T1-T11. The process is the council's own policy,
not statute, so its target times come from the policy the case pinned when it
started; the statutory hooks are the law's: advertising the disposal of open
space for two consecutive weeks and considering objections (LGA 1972
s.123(2A)), and the right-to-bid moratorium when listed land goes by freehold
or a lease of 25 years or more to a body that is not a community interest
group (LA 2011 s.95; ACV Regs reg.13(1)), which a disposal within an earlier
notice's protected period does not need again (s.95(4)). Pure module: data and
guards only.
"""

from __future__ import annotations

from datetime import date, timedelta

from workflows import guards
from workflows.checklists import EXEMPT_DISPOSALS
from workflows.definition import (
    SAME,
    Definition,
    Field,
    FieldKind,
    Guard,
    GuardContext,
    Notice,
    State,
    Timer,
    TimerVariant,
    Transition,
)
from workflows.periods import long_date
from workflows.policies import TENURES
from workflows.roles import GROUP_OR_OFFICER, OFFICER, SYSTEM, Party, Role

NAME = "asset_transfer"

BEFORE_DECISION = (
    "enquiry", "suitability_checked", "eoi_invited", "eoi_submitted", "business_case_invited", "panel_assessment",
    "recommended",
)  # fmt: skip
OPEN = (*BEFORE_DECISION, "approved", "pre_completion", "heads_of_terms")
TENURE_CHOICES = tuple((t.id, t.label) for t in TENURES)
_WEEK = timedelta(days=7)

STATES = (
    State("draft", "Draft enquiry", description="Being written by the group; not yet sent."),
    State("enquiry", "Enquiry received", description="The council checks whether the asset is available (T1)."),
    State("suitability_checked", "Asset checked", description="Surplus, restrictions, listing and open space (T2)."),
    State("eoi_invited", "Expressions of interest invited", public=True, description="The window is open (T3)."),
    State("eoi_submitted", "Expression of interest received", description="Checked against the criteria (T4)."),
    State("business_case_invited", "Business case invited", description="The group prepares its case (T5)."),
    State("panel_assessment", "Panel assessment", description="Each assessor scores each criterion (T6)."),
    State("recommended", "Recommendation made", description="Waiting for the decision-maker (T7)."),
    State("approved", "Approved in principle", public=True),
    State("pre_completion", "Statutory steps before completion", public=True,
          description="Open-space advertisement and objections; the moratorium on listed land (T8)."),
    State("heads_of_terms", "Heads of terms agreed", public=True, description="Legal completion to follow (T9)."),
    State("monitoring", "Transferred: monitoring", public=True, description="Annual reviews of the agreement (T10)."),
    State("ended", "Agreement ended", terminal=True, public=True),
    State("refused", "Refused", terminal=True, public=True),
    State("withdrawn", "Withdrawn", terminal=True),
    State("lapsed", "Lapsed", terminal=True,
          description="No expression of interest, or no business case, arrived in time."),
)  # fmt: skip


def _date(name: str, label: str, *, allow_future: bool = False, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, required=required, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True, hint: str = "") -> Field:
    return Field(name, FieldKind.TEXT, label, required=required, hint=hint)


def _fact_date(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def _consecutive_weeks(ctx: GuardContext) -> bool:
    """LGA 1972 s.123(2A): the council must advertise its intention "for two consecutive weeks".

    Read as one notice in each of two successive weeks counted from the first publication: the second
    appears 7 to 13 days after the first. Fewer than 7 days apart (a Sunday and the next Monday) both fall in
    the first week, so the advertisement has not run for two weeks; 14 days or more leaves a week between
    them, so the weeks are not consecutive. A weekly paper, publishing the same day a week later, meets it.
    The reading is the cautious one where the Act is silent (STATUTE.md §4.1 gives only the words).
    """
    first, second = _fact_date(ctx, "advert_first_published_on"), _fact_date(ctx, "advert_second_published_on")
    if first is None or second is None:
        return False
    return _WEEK <= second - first < 2 * _WEEK


def _objections_close_late_enough(ctx: GuardContext) -> bool:
    second, closes = _fact_date(ctx, "advert_second_published_on"), _fact_date(ctx, "objections_close_on")
    earliest = _fact_date(ctx, "objections_earliest_close")
    if second is None or closes is None:
        return False
    return closes > second and (earliest is None or closes >= earliest)


def _objections_close_refusal(ctx: GuardContext) -> str:
    earliest = _fact_date(ctx, "objections_earliest_close")
    if earliest is not None:
        return (
            f"The notice must allow objections until at least {long_date(earliest)}, as the council's policy "
            "requires after the second notice"
        )
    return "The closing date for objections must be after the second notice appears"


def _objections_after_close(ctx: GuardContext) -> bool:
    considered, closes = _fact_date(ctx, "objections_considered_on"), _fact_date(ctx, "objections_close_on")
    return considered is not None and closes is not None and considered > closes


def _objections_after_close_refusal(ctx: GuardContext) -> str:
    closes = _fact_date(ctx, "objections_close_on")
    if closes is None:
        return "Record the closing date for objections the notice gave"
    return f"Objections may be made until the end of {long_date(closes)}: consider them after that"


def _open_space_done(ctx: GuardContext) -> bool:
    return not ctx.facts.get("open_space") or _fact_date(ctx, "objections_considered_on") is not None


def _moratorium_done(ctx: GuardContext) -> bool:
    return not ctx.facts.get("moratorium_running")


def _moratorium_refusal(ctx: GuardContext) -> str:
    ends = ctx.facts.get("moratorium_ends_on")
    when = f" It ends on {long_date(ends)}." if isinstance(ends, date) else ""
    return (
        "The land is listed and this is a relevant disposal to a body that is not a community interest group, so "
        f"the transfer must wait for the moratorium ({ctx.facts.get('moratorium_reference', 'see the linked case')})."
        + when
    )


def _tie_explained(ctx: GuardContext) -> bool:
    return not ctx.facts.get("tied_with") or bool(ctx.data.get("ranking_reasons"))


def _tie_refusal(ctx: GuardContext) -> str:
    return (
        "This application scored the same as " + ", ".join(ctx.facts.get("tied_with") or []) + ": the policy cannot "
        "choose between them, so give the reasons for choosing this one"
    )


def _departure_explained(ctx: GuardContext) -> bool:
    return not ctx.facts.get("ranked_above") or bool(ctx.data.get("ranking_reasons"))


def _departure_refusal(ctx: GuardContext) -> str:
    return (
        "The panel ranked " + ", ".join(ctx.facts.get("ranked_above") or []) + " above this application: approving "
        "it departs from the panel's ranking, so give the reasons for choosing it"
    )


def _rivals_answered(ctx: GuardContext) -> bool:
    return not ctx.facts.get("rivals_open") or ctx.data.get("rivals_outcome") is not None


def _rivals_refusal(ctx: GuardContext) -> str:
    return (
        "Other applications for this asset are still open (" + ", ".join(ctx.facts.get("rivals_open") or []) + "): "
        "say whether they are refused or kept in reserve"
    )


def _running_cycle(ctx: GuardContext) -> str | None:
    value = ctx.facts.get("running_cycle")
    return value if isinstance(value, str) and value else None


def _notice_if_needed(ctx: GuardContext) -> bool:
    """s.95(2): listed land going to a non-CIG needs the council's notice, unless a cycle already covers it."""
    if not ctx.facts.get("moratorium_required") or ctx.data.get("moratorium_exemption"):
        return True
    return _running_cycle(ctx) is not None or ctx.data.get("council_notice_on") is not None


def _no_second_notice(ctx: GuardContext) -> bool:
    return _running_cycle(ctx) is None or ctx.data.get("council_notice_on") is None


def _second_notice_refusal(ctx: GuardContext) -> str:
    return (
        f"Leave the notice date empty: {ctx.facts.get('running_cycle_reasons') or 'an earlier notice is running'}. "
        "The disposal waits for that moratorium, or may be made within its protected period without a new notice"
    )


def _notice_needed_now(ctx: GuardContext) -> bool:
    return bool(ctx.facts.get("moratorium_required")) and _running_cycle(ctx) is None


def _advert_window_open(ctx: GuardContext) -> bool:
    closes = _fact_date(ctx, "eoi_window_closes_on")
    return bool(ctx.facts.get("advertised_window")) and closes is not None and ctx.today <= closes


def _advert_window_refusal(ctx: GuardContext) -> str:
    closes = _fact_date(ctx, "eoi_window_closes_on")
    if ctx.facts.get("advertised_window") and closes is not None:
        return (
            f"The window advertised for this asset closed on {long_date(closes)}: check the asset and advertise again"
        )
    return "; ".join(ctx.facts.get("advertised_window_reasons") or ["No window is advertised for this asset"])


def _eoi_assessed(ctx: GuardContext, *, passing: bool) -> bool:
    criteria = list(ctx.facts.get("eoi_criteria") or [])
    assessed = {row.get("criterion"): row for row in ctx.facts.get("eoi_assessment") or [] if isinstance(row, dict)}
    if not criteria or any(c not in assessed for c in criteria):
        return False
    all_met = all(assessed[c].get("met") is True for c in criteria)
    return all_met if passing else not all_met


def _eoi_refusal(ctx: GuardContext, *, passing: bool) -> str:
    assessed = {row.get("criterion"): row for row in ctx.facts.get("eoi_assessment") or [] if isinstance(row, dict)}
    missing = [c for c in ctx.facts.get("eoi_criteria") or [] if c not in assessed]
    if missing:
        return "Assess the expression of interest against each of the policy's criteria first: " + "; ".join(missing)
    if passing:
        failed = [c for c, row in assessed.items() if row.get("met") is not True]
        return "It cannot pass: these criteria are not met: " + "; ".join(str(c) for c in failed)
    return "Every one of the policy's criteria is met, so it cannot fail on them"


def _decide_by_ok(ctx: GuardContext) -> bool:
    decide_by, deferred = _fact_date(ctx, "decide_by"), _fact_date(ctx, "deferred_on")
    return decide_by is not None and decide_by >= ctx.today and (deferred is None or decide_by >= deferred)


def _decide_by_refusal(ctx: GuardContext) -> str:
    deferred = _fact_date(ctx, "deferred_on")
    after = f" or before the deferral on {long_date(deferred)}" if deferred else ""
    return f"The date the decision is now expected cannot be in the past{after}"


_surplus = guards.data_is(
    "asset_is_surplus", "surplus", "An asset the council still needs cannot be transferred: decline the enquiry",
    basis="Council policy (T2)",
)  # fmt: skip
_eligible = guards.fact_is(
    "applicant_eligible", "applicant_eligible", "The group is not eligible under the council's policy",
    basis="Council policy; LA 2011 s.81(6) used as the test of a voluntary or community body",
)  # fmt: skip
_eoi_in_window = guards.in_time(
    "eoi_in_window", when="eoi_received_on", timer="eoi_window", what="the expression of interest",
    basis="Council policy (T3)",
)  # fmt: skip
_scored = guards.fact_is(
    "scores_complete", "scores_complete", "The panel has not finished scoring", basis="Council policy (T6)"
)
_recommended = guards.fact_is(
    "recommendation_is_to_approve", "recommend_approval", "The policy's assessment does not support approval",
    basis="Council policy (T6-T7)",
)  # fmt: skip
_not_already = guards.fact_is(
    "no_other_application_approved", "other_application_approved",
    "Another application for this asset has already been approved", basis="Council policy (T7)", expected=False,
)  # fmt: skip
_tenure_offered = guards.fact_is(
    "tenure_offered", "tenure_offered", "The council's policy does not offer that tenure", basis="Council policy"
)
_tie = Guard("tie_explained", _tie_explained, _tie_refusal, "Council policy (T7)")
_departure = Guard("departure_from_ranking_explained", _departure_explained, _departure_refusal, "Council policy (T7)")
_rivals = Guard("rivals_outcome_given", _rivals_answered, _rivals_refusal, "Council policy (T7)")
_decide_by = Guard("decide_by_not_in_the_past", _decide_by_ok, _decide_by_refusal, "Council policy (T7)")
_council_notice = Guard(
    "council_notice_recorded",
    _notice_if_needed,
    "The land is listed: record the date the council gave itself notice of the intended disposal",
    "LA 2011 s.95(2)",
)
_one_notice = Guard("no_second_notice_in_a_running_cycle", _no_second_notice, _second_notice_refusal,
                    "LA 2011 s.95(2)-(4)")  # fmt: skip
_notice_needed = Guard(
    "notice_needed",
    _notice_needed_now,
    "No new notice is needed: the land is not listed, the disposal does not need the moratorium, or an earlier "
    "notice's cycle is running",
    "LA 2011 s.95(2)-(4)",
)
_advertised_window = Guard("advertised_window_open", _advert_window_open, _advert_window_refusal, "Council policy (T3)")
_eoi_passes = Guard(
    "eoi_meets_every_criterion", lambda ctx: _eoi_assessed(ctx, passing=True),
    lambda ctx: _eoi_refusal(ctx, passing=True), "Council policy (T4)",
)  # fmt: skip
_eoi_fails = Guard(
    "eoi_misses_a_criterion", lambda ctx: _eoi_assessed(ctx, passing=False),
    lambda ctx: _eoi_refusal(ctx, passing=False), "Council policy (T4)",
)  # fmt: skip
_not_barred = guards.fact_is(
    "no_asset_transfer_request_bars_disposal", "disposal_barred",
    "The land cannot be transferred while an asset transfer request for it is open", basis="CE(S)A 2015 s.84",
    expected=False,
)  # fmt: skip
_open_space = guards.fact_is(
    "land_is_open_space", "open_space", "The land was not recorded as open space", basis="LGA 1972 s.123(2A)"
)
_consecutive = Guard(
    "advertised_in_consecutive_weeks",
    _consecutive_weeks,
    "The notices must appear in two consecutive weeks: the second 7 to 13 days after the first",
    "LGA 1972 s.123(2A)",
)
_advertised = guards.recorded(
    "advertisement_recorded", "advert_second_published_on", "Record the newspaper advertisement first",
    basis="LGA 1972 s.123(2A)",
)  # fmt: skip
_objections_after_advert = Guard(
    "objections_considered_after_they_close", _objections_after_close, _objections_after_close_refusal,
    "LGA 1972 s.123(2A)",
)  # fmt: skip
_objections_period = Guard(
    "objections_period_long_enough", _objections_close_late_enough, _objections_close_refusal, "LGA 1972 s.123(2A)"
)
_open_space_steps = Guard(
    "open_space_steps_done",
    _open_space_done,
    "The land is open space: advertise the disposal for two consecutive weeks and consider the objections first",
    "LGA 1972 s.123(2A)",
)
_moratorium = Guard("moratorium_over", _moratorium_done, _moratorium_refusal, "LA 2011 s.95(1), (3)")

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
    ),
    Transition(
        "check_suitability", ("enquiry",), "suitability_checked", OFFICER, "Record the asset check",
        "Council policy (T2); LGA 1972 s.123; LA 2011 s.87",
        fields=(_date("checked_on", "date of the check"),
                Field("surplus", FieldKind.BOOL, "answer to whether the asset is surplus to the council's needs"),
                Field("open_space", FieldKind.BOOL, "answer to whether the land is open space"),
                _text("restrictions", "restrictions on the title, trusts or statutory duties", required=False)),
        guards=(_surplus,),
        tasks=(("If the land is open space, advertise the disposal for two consecutive weeks before completion "
               "(LGA 1972 s.123(2A))"),
               ("If the asset is on the list of assets of community value (the register says so above), a freehold or "
                "a lease of 25 years or more to a body that is not a community interest group needs the moratorium "
                "(LA 2011 s.95)"),
               "Share running costs, servicing and any condition survey with the group"),
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
        "Council policy (T3)", guards=(_advertised_window,),
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
        guards=(_eoi_in_window, _eligible),
    ),
    Transition(
        "eoi_window_closes", ("eoi_invited",), "lapsed", SYSTEM, "Lapse: no expression of interest in the window",
        "Council policy (T3, T11)",
    ),
    Transition(
        "pass_eoi", ("eoi_submitted",), "business_case_invited", OFFICER, "Pass the expression of interest",
        "Council policy (T4-T5)",
        fields=(_date("eoi_assessed_on", "date of the assessment"),
                _text("eoi_reasons", "reasons, criterion by criterion")),
        guards=(_eoi_passes,),
    ),
    Transition(
        "fail_eoi", ("eoi_submitted",), "refused", OFFICER, "Fail the expression of interest", "Council policy (T4)",
        fields=(_date("eoi_assessed_on", "date of the assessment"),
                _text("reasons", "reasons, criterion by criterion")),
        guards=(_eoi_fails,), decision=True,
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
        "Council policy (T6)", fields=(_date("recommended_on", "date of the recommendation"),), guards=(_scored,),
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
        guards=(_recommended, _not_already, _tenure_offered, _tie, _departure, _rivals), decision=True,
        tasks=(_BEST_CONSIDERATION,),
    ),
    Transition(
        "refuse", ("recommended",), "refused", OFFICER, "Refuse", "Council policy (T7)",
        fields=(_date("decided_on", "date of the decision"), _DECISION_BODY, _text("reasons", "reasons")),
        decision=True,
    ),
    Transition(
        "defer", ("recommended",), SAME, OFFICER, "Defer the decision", "Council policy (T7)",
        fields=(_date("deferred_on", "date of the deferral"), _DECISION_BODY,
                _text("deferral_reasons", "what the decision-maker needs"),
                _date("decide_by", "date the decision is now expected", allow_future=True)),
        guards=(_decide_by,),
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
        guards=(_council_notice, _one_notice),
    ),
    Transition(
        "give_council_notice", ("pre_completion", "heads_of_terms"), SAME, OFFICER,
        "Record the council's notice of the disposal", "LA 2011 s.95(2)",
        fields=(_date("council_notice_on", "date the council gave itself notice of the disposal"),),
        guards=(_notice_needed,),
    ),
    Transition(
        "record_open_space_advert", ("pre_completion",), SAME, OFFICER, "Record the open-space advertisement",
        "LGA 1972 s.123(2A)",
        fields=(_text("newspaper", "newspaper circulating in the area"),
                _date("advert_first_published_on", "date of the first notice"),
                _date("advert_second_published_on", "date of the second notice"),
                _date("objections_close_on", "closing date for objections the notice gives", allow_future=True)),
        guards=(_open_space, _consecutive, _objections_period),
    ),
    Transition(
        "record_objections", ("pre_completion",), SAME, OFFICER, "Record that objections were considered",
        "LGA 1972 s.123(2A)",
        fields=(_date("objections_considered_on", "date the objections were considered"),
                _text("objections_summary", "objections received and how each was considered")),
        guards=(_open_space, _advertised, _objections_after_advert),
    ),
    Transition(
        "agree_heads_of_terms", ("pre_completion",), "heads_of_terms", OFFICER, "Record the agreed heads of terms",
        "Council policy (T9)",
        fields=(_date("heads_agreed_on", "date the heads of terms were agreed"), _text("heads_summary", "main terms")),
        guards=(_open_space_steps,),
    ),
    Transition(
        "complete", ("heads_of_terms",), "monitoring", OFFICER, "Record legal completion",
        "Council policy (T9); LGA 1972 s.123(2A); LA 2011 s.95",
        fields=(_date("completed_on", "date of completion"),),
        guards=(_open_space_steps, _moratorium, _not_barred),
        tasks=("Register the transfer at HM Land Registry",),
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

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 1, 1),
    title="Community asset transfer (England)",
    initial="draft",
    states=STATES,
    transitions=TRANSITIONS,
    timers=TIMERS,
    notices=NOTICES,
    reference_prefix="CAT",
    fact_dates=("eoi_window_closes_on", "objections_earliest_close"),
    policy_periods=(
        "enquiry_reply", "eoi_window", "eoi_assessment", "business_case", "assessment", "decision", "completion",
        "annual_review",
    ),
)  # fmt: skip
