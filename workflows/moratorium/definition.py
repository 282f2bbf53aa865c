"""The moratorium as a table: who may move a disposal cycle on, from where to where, on what authority.

Rows follow STATUTE.md §3.3 (M1-M10). Every period runs from R, the day the council received the owner's notice.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows.definition import SAME, Definition, State, Timer, Transition
from workflows.moratorium import fields, guards, notices
from workflows.moratorium.fields import NOTICE_RECEIVED_ON
from workflows.roles import OWNER_OR_OFFICER, SYSTEM, GroupReach, Party, Role

NAME = "moratorium"
OPEN_STATES = ("interim_moratorium", "full_moratorium", "owner_free")
LATE_CIG_REQUEST = "cig_request_received_in_interim"  # recorded after the interim period was marked ended
GROUP_OR_OFFICER = frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER})
LIST_UPDATE = "Update the list entry (ACV Regs reg.2)"
TELL_OWNER = "Pass the request on to the owner as soon as practicable (s.98(2))"
NEW_OWNER = "Ask the new owner for their details (reg.19(2))"

TRANSITIONS = (
    Transition(
        trigger="give_notice",
        source="draft",
        dest="interim_moratorium",
        who=OWNER_OR_OFFICER,
        statute="M1",
        label="Record the owner's notice of intended sale",
        basis="LA 2011 s.95(2), s.97",
        fields=fields.OWNERS_NOTICE,
        guards=(guards.listed, guards.relevant, guards.no_open_cycle),
        notices=(notices.OWNERS_NOTICE_RECEIVED, notices.OWNERS_NOTICE_ACKNOWLEDGED),
        effects=("note_moratorium_on_listing",),
        reported_as="notices",
        tasks=(
            "Update the list entry with the date received and the three end dates (s.97(2))",
            "Publicise the notice in the area, for example a notice at the site (s.97(4))",
        ),
    ),
    Transition(
        trigger="cig_request",
        source="interim_moratorium",
        dest="full_moratorium",
        who=GROUP_OR_OFFICER,
        groups=GroupReach.ANY,
        statute="M2",
        label="Record a request to be treated as a potential bidder",
        basis="LA 2011 s.95(3)(a), s.98; ACV Regs reg.12",
        fields=fields.REQUEST_TO_BID,
        guards=(guards.is_cig, guards.group_not_yet_asking, guards.request_after_notice, guards.in_interim),
        notices=(notices.BIDDER_REQUEST_PASSED_ON, notices.BIDDER_REQUEST_RECORDED),
        effects=("note_interested_group",),
        page="request_to_bid",
        reported_as="bidder_requests",
        tasks=(TELL_OWNER, "Add the group's name to the list entry (reg.2(a))"),
    ),
    Transition(
        trigger="cig_request",
        source="full_moratorium",
        dest=SAME,
        who=GROUP_OR_OFFICER,
        groups=GroupReach.ANY,
        statute="M2",
        label="Record a request to be treated as a potential bidder",
        basis="LA 2011 s.95(3)(a), s.98; ACV Regs reg.12",
        fields=fields.REQUEST_TO_BID,
        guards=(guards.is_cig, guards.group_not_yet_asking, guards.request_after_notice, guards.in_interim),
        notices=(notices.BIDDER_REQUEST_PASSED_ON, notices.BIDDER_REQUEST_RECORDED),
        effects=("note_interested_group",),
        page="request_to_bid",
        reported_as="bidder_requests",
        tasks=(TELL_OWNER,),
    ),
    Transition(
        trigger=LATE_CIG_REQUEST,
        source="owner_free",
        dest="full_moratorium",
        who=GROUP_OR_OFFICER,
        groups=GroupReach.ANY,
        statute="M2",
        label="Record a request to bid received during the interim period",
        basis="LA 2011 s.95(3)(a), s.98; ACV Regs reg.12",
        fields=fields.REQUEST_TO_BID,
        guards=(
            guards.is_cig,
            guards.group_not_yet_asking,
            guards.request_after_notice,
            guards.in_interim,
            guards.full_not_run_yet,
        ),
        notices=(notices.BIDDER_REQUEST_PASSED_ON, notices.INTERIM_END_CORRECTED),
        effects=("note_interested_group",),
        page="request_to_bid",
        reported_as="bidder_requests",
        tasks=(
            TELL_OWNER,
            "Add the group's name to the list entry and correct the end of the moratorium shown (reg.2(a))",
            "Tell anyone told the interim moratorium had ended that the full moratorium applies",
        ),
    ),
    Transition(
        trigger="interim_ends",
        source="interim_moratorium",
        dest="owner_free",
        who=SYSTEM,
        statute="M3",
        label="End the interim moratorium: no request to bid was received",
        basis="LA 2011 s.95(3)(a)",
        notices=(notices.INTERIM_ENDED,),
        tasks=(LIST_UPDATE,),
    ),
    Transition(
        trigger="full_ends",
        source="full_moratorium",
        dest="owner_free",
        who=SYSTEM,
        statute="M4",
        label="End the full moratorium",
        basis="LA 2011 s.95(3)(b)",
        notices=(notices.FULL_ENDED,),
        tasks=(LIST_UPDATE,),
    ),
    Transition(
        trigger="dispose_to_cig",
        source=OPEN_STATES,
        dest="disposed_to_cig",
        who=OWNER_OR_OFFICER,
        statute="M5",
        label="Record a sale to a community interest group",
        basis="ACV Regs reg.13(1)",
        fields=fields.SALE_TO_GROUP,
        guards=(guards.acquirer_is_cig, guards.disposal_after_notice, guards.in_protected, guards.not_barred),
        facts=("disposal_barred",),
        notices=(notices.DISPOSED_TO_CIG,),
        effects=("end_listing_on_sale",),
        tasks=(LIST_UPDATE, NEW_OWNER),
    ),
    Transition(
        trigger="dispose",
        source="owner_free",
        dest="disposed",
        who=OWNER_OR_OFFICER,
        statute="M6",
        label="Record a sale after the moratorium",
        basis="LA 2011 s.95(1)-(4), s.96(4)",
        fields=fields.SALE,
        guards=(guards.disposal_after_notice, guards.after_moratorium, guards.in_protected, guards.not_barred),
        facts=("disposal_barred",),
        notices=(notices.DISPOSED,),
        effects=("end_listing_on_sale",),
        tasks=(LIST_UPDATE, NEW_OWNER),
    ),
    Transition(
        trigger="protected_ends",
        source="owner_free",
        dest="protected_period_ended",
        who=SYSTEM,
        statute="M7",
        label="End the protected period: a new notice is needed before any sale",
        basis="LA 2011 s.95(4)",
        notices=(notices.PROTECTED_PERIOD_ENDED,),
    ),
    Transition(
        trigger="record_exempt_disposal",
        source=("draft", *OPEN_STATES),
        dest="exempt_disposal_recorded",
        who=OWNER_OR_OFFICER,
        statute="M8",
        label="Record an exempt disposal",
        basis="LA 2011 s.95(5); ACV Regs reg.13(2), Sch.3",
        fields=fields.EXEMPT_DISPOSAL,
        guards=(guards.exempt_while_listed, guards.exempt_in_this_cycle, guards.option_dated, guards.exemption_holds),
        facts=("listed_on",),
        notices=(notices.EXEMPT_DISPOSAL_RECORDED,),
        effects=("note_exempt_disposal",),
        tasks=("The listing continues; the new owner must give their own notice before selling (s.95(2))",),
    ),
    Transition(
        trigger="listing_ended",
        source=OPEN_STATES,
        dest="lapsed",
        who=SYSTEM,
        statute="M9",
        label="Lapse: the land is no longer listed",
        basis="LA 2011 s.95(1)",
        notices=(notices.MORATORIUM_LAPSED,),
    ),
    Transition(
        trigger="record_breach",
        source=OPEN_STATES,
        dest=SAME,
        who=frozenset({Role.OFFICER}),
        statute="M10",
        label="Record a disposal made in breach of the moratorium",
        basis="LA 2011 s.95(1); ACV Regs reg.21",
        fields=fields.BREACH,
        guards=(guards.breach_during_moratorium,),
        notices=(notices.DISPOSAL_IN_BREACH,),
        tasks=("The disposal is ineffective unless reg.21(2) applies: tell the owner and the buyer",),
    ),
)

STATES = (
    State("draft", "Draft owner's notice", description="Being written by the owner; not yet received."),
    State(
        "interim_moratorium",
        "Interim moratorium",
        public=True,
        description="Six weeks in which a community interest group may ask to be treated as a bidder.",
    ),
    State(
        "full_moratorium",
        "Full moratorium",
        public=True,
        description="A community interest group asked to bid: six months from the notice.",
    ),
    State(
        "owner_free",
        "Owner free to sell",
        public=True,
        description="The moratorium has ended; the owner may sell until the protected period ends.",
    ),
    State("disposed_to_cig", "Sold to a community interest group", terminal=True, public=True),
    State("disposed", "Sold after the moratorium", terminal=True, public=True),
    State(
        "protected_period_ended",
        "Protected period ended",
        terminal=True,
        public=True,
        description="No sale in the protected period: a new notice is needed before any sale.",
    ),
    State("exempt_disposal_recorded", "Exempt disposal recorded", terminal=True, public=True),
    State("lapsed", "Lapsed: the land is no longer listed", terminal=True, public=True),
)

TIMERS = (
    Timer(
        "interim_end",
        "moratorium.interim",
        NOTICE_RECEIVED_ON,
        frozenset({"interim_moratorium"}),
        "Interim moratorium ends",
        on_expiry="interim_ends",
        reminders=(14, 7, 1),
        remind=(Party.OWNER, Party.NOMINATOR, Party.SUBSCRIBERS),
        public=True,
    ),
    Timer(
        "full_end",
        "moratorium.full",
        NOTICE_RECEIVED_ON,
        frozenset({"full_moratorium"}),
        "Full moratorium ends",
        on_expiry="full_ends",
        reminders=(28, 7, 1),
        remind=notices.INTEREST,
        public=True,
    ),
    Timer(
        "protected_end",
        "moratorium.protected",
        NOTICE_RECEIVED_ON,
        frozenset(OPEN_STATES),
        "Protected period ends",
        on_expiry="protected_ends",
        reminders=(28,),
        remind=(Party.OWNER, Party.OFFICER),
        public=True,
    ),
)


def request_to_bid(state: str) -> str:
    """The trigger a request to be treated as a potential bidder fires in `state`: once the interim period has been
    marked ended (owner_free), a request received within it is recorded late, and corrects the end shown."""
    return LATE_CIG_REQUEST if state == "owner_free" else "cig_request"


DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 9, 21),
    title="Community right to bid: disposal moratorium",
    initial="draft",
    states=STATES,
    # The sale dates have their own guards (after the notice, inside or after the moratorium): no order to add.
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.ENGLAND_ACV, after={}),
    timers=TIMERS,
    reference_prefix="MOR",
)
