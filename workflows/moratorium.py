"""The community right to bid: one disposal cycle of listed land (the moratorium).

STATUTE.md §3.3, transitions M1-M10 (LA 2011 ss.95-98; ACV Regs regs 12-13, 21).
Every period runs from R, the day the council received the owner's notice.
Pure module: data and guards only.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds, guards
from workflows.checklists import EXEMPT_DISPOSALS, DisposalAnswers, DisposalAssessment, assess_disposal
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
    Transition,
)
from workflows.periods import compute, long_date
from workflows.roles import OWNER_OR_OFFICER, SYSTEM, Party, Role

NAME = "moratorium"

OPEN_STATES = ("interim_moratorium", "full_moratorium", "owner_free")

STATES = (
    State("draft", "Draft owner's notice", description="Being written by the owner; not yet received."),
    State("interim_moratorium", "Interim moratorium", public=True,
          description="Six weeks in which a community interest group may ask to be treated as a bidder."),
    State("full_moratorium", "Full moratorium", public=True,
          description="A community interest group asked to bid: six months from the notice."),
    State("owner_free", "Owner free to sell", public=True,
          description="The moratorium has ended; the owner may sell until the protected period ends."),
    State("disposed_to_cig", "Sold to a community interest group", terminal=True, public=True),
    State("disposed", "Sold after the moratorium", terminal=True, public=True),
    State("protected_period_ended", "Protected period ended", terminal=True, public=True,
          description="No sale in the protected period: a new notice is needed before any sale."),
    State("exempt_disposal_recorded", "Exempt disposal recorded", terminal=True, public=True),
    State("lapsed", "Lapsed: the land is no longer listed", terminal=True, public=True),
)  # fmt: skip


def _date(name: str, label: str, *, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, stamped=stamped)


NOTICE_RECEIVED_ON = "notice_received_on"
LATE_CIG_REQUEST = "cig_request_received_in_interim"  # recorded after the interim period was marked ended


def request_to_bid(state: str) -> str:
    """The trigger a request to be treated as a potential bidder fires in `state`: once the interim period has been
    marked ended (owner_free), a request received within it is recorded late, and corrects the end shown."""
    return LATE_CIG_REQUEST if state == "owner_free" else "cig_request"


_listed = guards.fact_is(
    "asset_is_listed",
    "asset_listed",
    "The land is not on the list of assets of community value",
    basis="LA 2011 s.95(1)",
)
_relevant = Guard(
    "relevant_disposal",
    lambda ctx: ctx.data.get("vacant_possession") is True,
    "Only a disposal with vacant possession (freehold, or a lease of 25 years or more) is a relevant disposal",
    "LA 2011 s.96",
)
_no_open_cycle = guards.fact_is(
    "no_protected_period_running",
    "protected_period_running",
    "A protected period from an earlier notice is still running for this land",
    basis="LA 2011 s.95(4)",
    expected=False,
)
_is_cig = guards.fact_is(
    "requester_is_a_community_interest_group",
    "requester_is_cig",
    "The group is not a community interest group",
    basis="ACV Regs reg.12",
)
_in_interim = guards.in_time(
    "request_in_interim_period",
    when="request_received_on",
    timer="interim_end",
    what="the request to be treated as a potential bidder",
    basis="LA 2011 s.95(3)(a)",
)
_request_after_notice = guards.not_before(
    "request_after_notice",
    when="request_received_on",
    start=NOTICE_RECEIVED_ON,
    what="the request",
    basis="LA 2011 s.95(3)(a)",
)
_in_protected = guards.in_time(
    "disposal_in_protected_period",
    when="disposal_entered_on",
    timer="protected_end",
    what="the disposal",
    basis="LA 2011 s.95(4) (condition C); ACV Regs reg.13(1)",
)
_acquirer_is_cig = guards.data_is(
    "acquirer_is_a_community_interest_group",
    "acquirer_is_cig",
    "During a moratorium the land may only be sold to a community interest group",
    basis="ACV Regs reg.13(1)",
)
_not_barred = guards.fact_is(
    "no_asset_transfer_request_bars_disposal", "disposal_barred",
    "The land cannot be disposed of while an asset transfer request for it is open", basis="CE(S)A 2015 s.84",
    expected=False,
)  # fmt: skip
_disposal_after_notice = guards.not_before(
    "disposal_after_notice", when="disposal_entered_on", start=NOTICE_RECEIVED_ON,
    what="the disposal", basis="LA 2011 s.95",
)  # fmt: skip


# Exempt disposals (s.95(5), Sch.3), checked when recorded ------------------------------------------------------

LISTED_ON = "listed_on"  # the entry date of the listing, gathered when an exempt disposal is recorded
RIGHT_GRANTED_ON = "right_granted_on"
_OPTION = "planning_obligation_or_option"


def _day(value: object) -> str:
    return long_date(value) if isinstance(value, date) else "the day recorded"


def _listed_on(ctx: GuardContext) -> date | None:
    listed = ctx.facts.get(LISTED_ON)
    return listed if isinstance(listed, date) else None


def exemption_assessment(ctx: GuardContext) -> DisposalAssessment:
    """The exemption claimed, judged by the checklist the owner's notice page uses (s.95(5), s.96, Sch.3).

    An obligation made or option granted on or after the day the land was entered on the list is not
    exempt (Sch.3 para.4(2)): the land was "already listed" then.
    """
    granted, listed = _disposal_date(ctx, RIGHT_GRANTED_ON), _listed_on(ctx)
    answers = DisposalAnswers(
        disposal_type="freehold",
        vacant_possession=True,
        exemptions=frozenset({str(ctx.data.get("exemption"))}),
        listed_before_obligation=granted is not None and listed is not None and listed <= granted,
    )
    return assess_disposal(answers)


def _not_exempt(ctx: GuardContext) -> str:
    granted, listed = _disposal_date(ctx, RIGHT_GRANTED_ON), _listed_on(ctx)
    when = f"granted on {long_date(granted)}" if granted else "granted"
    since = f" (it was entered on the list on {long_date(listed)})" if listed else ""
    return (
        f"The disposal is not exempt: the obligation or right was {when}, when the land was already listed{since}. "
        "A disposal under it needs the owner's notice and the moratorium"
    )


_exemption_holds = Guard(
    "exemption_holds", lambda ctx: exemption_assessment(ctx).exempt, _not_exempt, "ACV Regs Sch.3 para.4(2)"
)
_option_dated = Guard(
    "option_or_obligation_dated",
    lambda ctx: ctx.data.get("exemption") != _OPTION or _disposal_date(ctx, RIGHT_GRANTED_ON) is not None,
    "Record the date the planning obligation was made or the option or right was granted: a disposal under it is "
    "not exempt if the land was already listed then",
    "ACV Regs Sch.3 para.4(2)",
)


def _while_listed(ctx: GuardContext) -> bool:
    disposed, listed = _disposal_date(ctx, "disposal_entered_on"), _listed_on(ctx)
    return disposed is None or listed is None or disposed >= listed


def _before_listing(ctx: GuardContext) -> str:
    disposed, listed = _disposal_date(ctx, "disposal_entered_on"), _listed_on(ctx)
    return (
        f"The disposal on {_day(disposed)} was before the land was listed on {_day(listed)}: the "
        "moratorium, and so its exemptions, apply only to a disposal of listed land"
    )


_exempt_while_listed = Guard("exempt_disposal_while_listed", _while_listed, _before_listing, "LA 2011 s.95(1)")


def _in_this_cycle(ctx: GuardContext) -> bool:
    disposed, received = _disposal_date(ctx, "disposal_entered_on"), ctx.facts.get(NOTICE_RECEIVED_ON)
    return disposed is None or not isinstance(received, date) or disposed >= received


def _before_this_cycle(ctx: GuardContext) -> str:
    disposed, received = _disposal_date(ctx, "disposal_entered_on"), ctx.facts.get(NOTICE_RECEIVED_ON)
    return (
        f"The disposal on {_day(disposed)} was before the council received the owner's notice on "
        f"{_day(received)} that began this disposal cycle, so it cannot end it: the notice was given after "
        "the land had changed hands"
    )


_exempt_in_this_cycle = Guard("exempt_disposal_in_this_cycle", _in_this_cycle, _before_this_cycle, "LA 2011 s.95(2)")


def moratorium_end(ctx: GuardContext) -> date | None:
    """The last day of the moratorium this cycle ran: the full one if a group asked to bid, else the interim one.

    From the cycle's own deadlines (a fired deadline keeps its date), or worked out from the notice (s.95(6)).
    """
    for timer in ("full_end", "interim_end"):
        if timer in ctx.deadlines:
            return ctx.deadlines[timer]
    received = ctx.facts.get(NOTICE_RECEIVED_ON)
    if not isinstance(received, date):
        return None
    rule = "moratorium.full" if ctx.facts.get("interested_groups") else "moratorium.interim"
    return compute(rule, received).due


def _disposal_date(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name)
    return value if isinstance(value, date) else None


def _sold_after_moratorium(ctx: GuardContext) -> bool:
    sold, ended = _disposal_date(ctx, "disposal_entered_on"), moratorium_end(ctx)
    received = ctx.facts.get(NOTICE_RECEIVED_ON)
    if sold is not None and isinstance(received, date) and sold < received:
        return True  # before the notice: refused by disposal_after_notice, which says so
    return sold is not None and ended is not None and sold > ended


def _sold_during_moratorium(ctx: GuardContext) -> str:
    sold, ended = _disposal_date(ctx, "disposal_entered_on"), moratorium_end(ctx)
    if sold is None or ended is None:
        return "Record the date the disposal was entered into and the date the council received the notice"
    return (
        f"The disposal was entered into on {long_date(sold)}, during the moratorium, which ended on "
        f"{long_date(ended)}: a sale then to anyone but a community interest group breaches s.95(1) and is "
        "ineffective (ACV Regs reg.21). Record it as a disposal in breach, or as an exempt disposal if an "
        "exemption applies"
    )


# Condition B (s.95(3)) must be met when the disposal is entered into (s.96(4)): a binding contract made
# during the moratorium is not made lawful by the moratorium ending before the council hears of it.
_after_moratorium = Guard(
    "disposal_after_moratorium", _sold_after_moratorium, _sold_during_moratorium, "LA 2011 s.95(1), (3); reg.21"
)


def _breach_in_moratorium(ctx: GuardContext) -> bool:
    breach, ended = _disposal_date(ctx, "breach_disposal_entered_on"), moratorium_end(ctx)
    return breach is not None and (ended is None or breach <= ended)


def _breach_after_moratorium(ctx: GuardContext) -> str:
    breach, ended = _disposal_date(ctx, "breach_disposal_entered_on"), moratorium_end(ctx)
    when = long_date(breach) if breach else "that day"
    until = long_date(ended) if ended else "the end of the moratorium"
    return (
        f"A disposal on {when} was after the moratorium ended on {until}, so it did not breach it: "
        "record it as a sale after the moratorium"
    )


_breach_during_moratorium = Guard(
    "breach_during_moratorium", _breach_in_moratorium, _breach_after_moratorium, "LA 2011 s.95(1); ACV Regs reg.21"
)
# A request received in the interim period but recorded after the sweep ended it: the full moratorium applied all
# along (s.95(3)(a) counts requests received, not recorded). Only once: a cycle whose full moratorium has run keeps it.
_full_not_run_yet = Guard(
    "full_moratorium_not_run_yet",
    lambda ctx: "full_end" not in ctx.deadlines,
    lambda ctx: (
        "A community interest group's request has already been recorded for this notice and the full moratorium "
        f"ended on {long_date(ctx.deadlines['full_end'])}: a further request does not change the dates"
    ),
    "LA 2011 s.95(3)(a), (6)",
)

_WHOLE_OR_PART = Field(
    "whole_or_part",
    FieldKind.CHOICE,
    "extent of the land disposed of",
    choices=(("whole", "All of the listed land"), ("part", "Part of the listed land")),
)
_SALE_FIELDS = (
    _date("disposal_entered_on", "date the disposal was entered into (binding contract)"),
    Field("acquirer_name", FieldKind.TEXT, "name of the buyer or tenant", max_length=300),
    _WHOLE_OR_PART,
)
_LIST_UPDATE = "Update the list entry (ACV Regs reg.2)"

TRANSITIONS = (
    Transition(
        "give_notice", ("draft",), "interim_moratorium", OWNER_OR_OFFICER, "Record the owner's notice of intended sale",
        "LA 2011 s.95(2), s.97",
        fields=(
            _date(NOTICE_RECEIVED_ON, "date the council received the owner's notice", stamped=True),
            Field("notice_method", FieldKind.CHOICE, "way the notice arrived",
                  choices=(("post", "Post"), ("hand", "By hand"), ("email", "Email"), ("portal", "Online"))),
            Field("disposal_type", FieldKind.CHOICE, "kind of disposal intended",
                  choices=(("freehold", "Sale of the freehold"),
                           ("qualifying_lease", "Grant or assignment of a lease of 25 years or more"))),
            Field("vacant_possession", FieldKind.BOOL, "answer to whether the disposal is with vacant possession"),
        ),
        guards=(_listed, _relevant, _no_open_cycle),
        tasks=(
            "Update the list entry with the date received and the three end dates (s.97(2))",
            "Publicise the notice in the area, for example a notice at the site (s.97(4))",
        ),
        effects=("note_moratorium_on_listing",),
    ),
    Transition(
        "cig_request", ("interim_moratorium",), "full_moratorium",
        frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER}), "Record a request to be treated as a potential bidder",
        "LA 2011 s.95(3)(a), s.98; ACV Regs reg.12",
        fields=(
            _date("request_received_on", "date the council received the request", stamped=True),
            Field("cig_name", FieldKind.TEXT, "name of the community interest group", max_length=300),
        ),
        guards=(_is_cig, _request_after_notice, _in_interim),
        tasks=("Pass the request on to the owner as soon as practicable (s.98(2))",
               "Add the group's name to the list entry (reg.2(a))"),
        effects=("note_interested_group",),
    ),
    Transition(
        "cig_request", ("full_moratorium",), SAME, frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER}),
        "Record a request to be treated as a potential bidder", "LA 2011 s.95(3)(a), s.98; ACV Regs reg.12",
        fields=(
            _date("request_received_on", "date the council received the request", stamped=True),
            Field("cig_name", FieldKind.TEXT, "name of the community interest group", max_length=300),
        ),
        guards=(_is_cig, _request_after_notice, _in_interim),
        tasks=("Pass the request on to the owner as soon as practicable (s.98(2))",),
        effects=("note_interested_group",),
    ),
    Transition(
        LATE_CIG_REQUEST, ("owner_free",), "full_moratorium", frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER}),
        "Record a request to bid received during the interim period", "LA 2011 s.95(3)(a), s.98; ACV Regs reg.12",
        fields=(
            _date("request_received_on", "date the council received the request", stamped=True),
            Field("cig_name", FieldKind.TEXT, "name of the community interest group", max_length=300),
        ),
        guards=(_is_cig, _request_after_notice, _in_interim, _full_not_run_yet),
        tasks=("Pass the request on to the owner as soon as practicable (s.98(2))",
               "Add the group's name to the list entry and correct the end of the moratorium shown (reg.2(a))",
               "Tell anyone told the interim moratorium had ended that the full moratorium applies"),
        effects=("note_interested_group",),
    ),
    Transition(
        "interim_ends", ("interim_moratorium",), "owner_free", SYSTEM,
        "End the interim moratorium: no request to bid was received", "LA 2011 s.95(3)(a)", tasks=(_LIST_UPDATE,),
    ),
    Transition(
        "full_ends", ("full_moratorium",), "owner_free", SYSTEM, "End the full moratorium", "LA 2011 s.95(3)(b)",
        tasks=(_LIST_UPDATE,),
    ),
    Transition(
        "dispose_to_cig", OPEN_STATES, "disposed_to_cig", OWNER_OR_OFFICER,
        "Record a sale to a community interest group", "ACV Regs reg.13(1)",
        fields=(*_SALE_FIELDS, Field("acquirer_is_cig", FieldKind.BOOL,
                                     "answer to whether the buyer is a community interest group")),
        guards=(_acquirer_is_cig, _disposal_after_notice, _in_protected, _not_barred),
        tasks=(_LIST_UPDATE, "Ask the new owner for their details (reg.19(2))"),
        effects=("end_listing_on_sale",),
        facts=("disposal_barred",),
    ),
    Transition(
        "dispose", ("owner_free",), "disposed", OWNER_OR_OFFICER, "Record a sale after the moratorium",
        "LA 2011 s.95(1)-(4), s.96(4)", fields=_SALE_FIELDS,
        guards=(_disposal_after_notice, _after_moratorium, _in_protected, _not_barred),
        tasks=(_LIST_UPDATE, "Ask the new owner for their details (reg.19(2))"),
        effects=("end_listing_on_sale",),
        facts=("disposal_barred",),
    ),
    Transition(
        "protected_ends", ("owner_free",), "protected_period_ended", SYSTEM,
        "End the protected period: a new notice is needed before any sale", "LA 2011 s.95(4)",
    ),
    Transition(
        "record_exempt_disposal", ("draft", *OPEN_STATES), "exempt_disposal_recorded", OWNER_OR_OFFICER,
        "Record an exempt disposal", "LA 2011 s.95(5); ACV Regs reg.13(2), Sch.3",
        fields=(
            _date("disposal_entered_on", "date of the disposal"),
            Field("exemption", FieldKind.CHOICE, "exemption that applies",
                  choices=tuple((item.id, item.text) for item in EXEMPT_DISPOSALS)),
            Field("disposal_details", FieldKind.TEXT, "details of the disposal and the new owner"),
            Field(RIGHT_GRANTED_ON, FieldKind.DATE, "date the planning obligation was made or the option or "
                  "right was granted", required=False),
        ),
        guards=(_exempt_while_listed, _exempt_in_this_cycle, _option_dated, _exemption_holds),
        tasks=("The listing continues; the new owner must give their own notice before selling (s.95(2))",),
        effects=("note_exempt_disposal",),
        facts=("listed_on",),
    ),
    Transition(
        "listing_ended", OPEN_STATES, "lapsed", SYSTEM, "Lapse: the land is no longer listed", "LA 2011 s.95(1)",
    ),
    Transition(
        "record_breach", OPEN_STATES, SAME, frozenset({Role.OFFICER}),
        "Record a disposal made in breach of the moratorium", "LA 2011 s.95(1); ACV Regs reg.21",
        fields=(_date("breach_disposal_entered_on", "date of the disposal in breach"),
                Field("breach_details", FieldKind.TEXT, "details of the disposal")),
        guards=(_breach_during_moratorium,),
        tasks=("The disposal is ineffective unless reg.21(2) applies: tell the owner and the buyer",),
    ),
)  # fmt: skip

_INTEREST = (Party.OWNER, Party.NOMINATOR, Party.COMMUNITY_INTEREST_GROUPS)

TIMERS = (
    Timer(
        "interim_end", "moratorium.interim", NOTICE_RECEIVED_ON, frozenset({"interim_moratorium"}),
        "Interim moratorium ends", on_expiry="interim_ends", reminders=(14, 7, 1),
        remind=(Party.OWNER, Party.NOMINATOR, Party.SUBSCRIBERS), public=True,
    ),
    Timer(
        "full_end", "moratorium.full", NOTICE_RECEIVED_ON, frozenset({"full_moratorium"}), "Full moratorium ends",
        on_expiry="full_ends", reminders=(28, 7, 1), remind=_INTEREST, public=True,
    ),
    Timer(
        "protected_end", "moratorium.protected", NOTICE_RECEIVED_ON, frozenset(OPEN_STATES), "Protected period ends",
        on_expiry="protected_ends", reminders=(28,), remind=(Party.OWNER, Party.OFFICER), public=True,
    ),
)  # fmt: skip

NOTICES = (
    Notice("give_notice", "owners_notice_received", (Party.NOMINATOR, Party.PARISH_COUNCIL, Party.SUBSCRIBERS),
           "LA 2011 s.97(3)-(4)", "Owner intends to sell listed land: the moratorium has started"),
    Notice("give_notice", "owners_notice_acknowledged", (Party.OWNER,), "LA 2011 s.97(2)",
           "Your notice has been received: the dates that apply"),
    Notice("cig_request", "bidder_request_passed_on", (Party.OWNER,), "LA 2011 s.98(2)",
           "A community interest group wants to be treated as a potential bidder"),
    Notice("cig_request", "bidder_request_recorded", (Party.NOMINATOR, Party.COMMUNITY_INTEREST_GROUPS),
           "ACV Regs reg.2(a)", "Request to bid recorded: the full moratorium applies"),
    Notice(LATE_CIG_REQUEST, "bidder_request_passed_on", (Party.OWNER,), "LA 2011 s.98(2)",
           "A community interest group wants to be treated as a potential bidder"),
    Notice(LATE_CIG_REQUEST, "interim_end_corrected",
           (Party.OWNER, Party.NOMINATOR, Party.COMMUNITY_INTEREST_GROUPS, Party.SUBSCRIBERS),
           "LA 2011 s.95(3)(a); ACV Regs reg.2(a)",
           "Correction: a request to bid arrived in time, so the full moratorium applies"),
    Notice("interim_ends", "interim_ended", (Party.OWNER, Party.NOMINATOR), "LA 2011 s.95(3)(a)",
           "The interim moratorium has ended"),
    Notice("full_ends", "full_ended", _INTEREST, "LA 2011 s.95(3)(b)", "The full moratorium has ended"),
    Notice("dispose_to_cig", "disposed_to_cig", (Party.OWNER, Party.NOMINATOR), "ACV Regs reg.13(1), reg.19(2)",
           "Sale to a community interest group recorded"),
    Notice("dispose", "disposed", (Party.OWNER, Party.NOMINATOR), "ACV Regs reg.2(b), reg.19(2)",
           "Sale recorded"),
    Notice("protected_ends", "protected_period_ended", (Party.OWNER,), "LA 2011 s.95(4)",
           "The protected period has ended: a new notice is needed before any sale"),
    Notice("record_exempt_disposal", "exempt_disposal_recorded", (Party.OWNER, Party.NOMINATOR),
           "LA 2011 s.95(5)", "Exempt disposal recorded: the land stays listed"),
    Notice("record_breach", "disposal_in_breach", (Party.OWNER,), "ACV Regs reg.21",
           "A disposal in breach of the moratorium is ineffective"),
    Notice("listing_ended", "moratorium_lapsed", _INTEREST, "LA 2011 s.95(1)",
           "The land is no longer listed: the moratorium no longer applies"),
)  # fmt: skip

# The sale dates have their own guards above (after the notice, inside or after the moratorium).
DATE_ORDER: dict[str, tuple[str, ...]] = {}

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 9, 21),
    title="Community right to bid: disposal moratorium",
    initial="draft",
    states=STATES,
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.ENGLAND_ACV, after=DATE_ORDER),
    timers=TIMERS,
    notices=NOTICES,
    reference_prefix="MOR",
)
