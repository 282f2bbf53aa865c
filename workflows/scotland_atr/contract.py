"""An agreed request's offer and contract, and the ways a request ends without one: rows S4 and S8-S11 of
STATUTE.md §4.4.

The third part of the process's table (workflows.scotland_atr.definition): the offer within the offer period, the
contract within 6 months of it or a longer period (CE(S)A 2015 s.83), the no-contract appeal (s.83(6)), and
withdrawal, which ends the bar on disposing of the land to anyone else (s.84(4)).
"""

from __future__ import annotations

from workflows.definition import SAME, Transition
from workflows.roles import GROUP_OR_OFFICER, OFFICER, SYSTEM
from workflows.scotland_atr import fields, guards, notices
from workflows.scotland_atr.states import BARRED

TRANSITIONS = (
    Transition(
        trigger="submit_offer",
        source="agreed",
        dest="contract",
        who=GROUP_OR_OFFICER,
        statute="S9",
        label="Record the body's offer",
        basis="CE(S)A 2015 s.83(4)",
        fields=fields.OFFER,
        guards=(guards.offer_in_time,),
        facts=("contract_period_end",),
    ),
    Transition(
        trigger="extend_contract_period",
        source="contract",
        dest=SAME,
        who=OFFICER,
        statute="S9",
        label="Record a longer contract period",
        basis="CE(S)A 2015 s.83(7)(b), (8)",
        fields=fields.LONGER_CONTRACT_PERIOD,
        guards=(guards.longer_contract_period,),
        facts=("contract_period_agreed",),
    ),
    Transition(
        trigger="contract_period_ends",
        source="contract",
        dest="contract_expired",
        who=SYSTEM,
        statute="S9",
        label="End the contract period: no contract was concluded",
        basis="CE(S)A 2015 s.83(6)-(7)",
        notices=(notices.CONTRACT_PERIOD_ENDED,),
    ),
    Transition(
        trigger="conclude",
        source=("contract", "contract_expired"),
        dest="transferred",
        who=OFFICER,
        statute="S10",
        label="Record the concluded contract",
        basis="CE(S)A 2015 s.84(5)",
        fields=fields.CONTRACT_CONCLUDED,
        guards=(guards.no_other_request,),
        facts=("other_requests_for_land",),
    ),
    Transition(
        trigger="no_contract_appeal",
        source=("contract", "contract_expired"),
        dest="no_contract_appeal",
        who=GROUP_OR_OFFICER,
        statute="S11",
        label="Record a no-contract appeal",
        basis="CE(S)A 2015 s.83(5)-(6); ATR No-Contract Regs reg.3",
        fields=fields.APPEAL,
        guards=(guards.no_contract_appeal_in_time,),
    ),
    Transition(
        trigger="no_contract_appeal_made",
        source="contract_expired",
        dest="lapsed",
        who=SYSTEM,
        statute="S11",
        label="Lapse: no contract, and no appeal within 10 working days",
        basis="CE(S)A 2015 s.83(6); ATR No-Contract Regs reg.3",
        notices=(notices.NO_CONTRACT_LAPSED,),
    ),
    Transition(
        trigger="offer_period_ends",
        source="agreed",
        dest="lapsed",
        who=SYSTEM,
        statute="S8",
        label="Lapse: no offer in the offer period",
        basis="CE(S)A 2015 s.83(2)(b), (4)",
        notices=(notices.NO_OFFER_LAPSED,),
    ),
    Transition(
        trigger="lapse",
        source="agreed",
        dest="lapsed",
        who=OFFICER,
        statute="S8",
        label="Record that no offer was made in time",
        basis="CE(S)A 2015 s.83",
        fields=fields.NO_OFFER,
        guards=(guards.offer_period_over,),
    ),
    Transition(
        trigger="withdraw",
        source=("draft", *BARRED),
        dest="withdrawn",
        who=GROUP_OR_OFFICER,
        statute="S4",
        label="Withdraw the request",
        basis="CE(S)A 2015 s.84(4)",
        fields=fields.WITHDRAWAL,
    ),
)
