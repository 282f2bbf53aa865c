"""The stages of an asset transfer request in Scotland (STATUTE.md §4.4), and the groups of them its rows name."""

from __future__ import annotations

from workflows.definition import State

UNDECIDED = ("received", "incomplete", "validated", "representations", "comments")
DECIDING = ("validated", "representations", "comments")  # the 6-month decision period runs
# s.84(2)-(4): the land may not be disposed of to anyone else until the request is disposed of, appeals included.
BARRED = (
    *UNDECIDED,
    "agreed",
    "contract",
    "contract_expired",
    "refused",
    "review",
    "review_refused",
    "appeal",
    "no_contract_appeal",
)

STATES = (
    State(
        "draft",
        "Draft request",
        description="Being written by the community transfer body; it may first ask the council about the land.",
    ),
    State(
        "received",
        "Request received",
        public=True,
        description="The council may not dispose of the land to anyone else while the request is open (s.84).",
    ),
    State(
        "incomplete",
        "Incomplete: items missing",
        public=True,
        description="The council has said what is missing; the validation date is when the last item arrives.",
    ),
    State("validated", "Validated: decision due within 6 months", public=True),
    State(
        "representations",
        "Published: representations invited",
        public=True,
        description="Anyone may make representations for at least 20 working days (regs 6-7).",
    ),
    State(
        "comments",
        "Applicant commenting on representations",
        public=True,
        description="The body has at least 20 working days to comment (reg.8).",
    ),
    State(
        "agreed",
        "Agreed: offer period",
        public=True,
        description="The body may make an offer on the terms in the decision notice (s.83).",
    ),
    State(
        "contract",
        "Offer made: contract negotiation",
        public=True,
        description="The contract is to be concluded within 6 months of the offer (s.83(7)).",
    ),
    State(
        "contract_expired",
        "Contract period ended: no contract",
        public=True,
        description="The body may appeal to the Scottish Ministers within 10 working days (s.83(6)).",
    ),
    State("transferred", "Contract concluded", terminal=True, public=True),
    State("refused", "Refused", public=True, description="The body may ask for a review within 20 working days."),
    State(
        "review",
        "Review requested",
        public=True,
        description="Decided by the council or a committee, never an officer (LG(S)A 1973 s.56(6B)).",
    ),
    State(
        "review_refused",
        "Refused on review",
        public=True,
        description="The body may appeal to the Scottish Ministers within 20 working days (s.88).",
    ),
    State("appeal", "Appeal to the Scottish Ministers", public=True),
    State("no_contract_appeal", "No-contract appeal to the Scottish Ministers", public=True),
    State("closed_refused", "Refused (final)", terminal=True, public=True),
    State(
        "declined_repeat",
        "Declined as a repeat request",
        terminal=True,
        public=True,
        description="Not a refusal: there is no review or appeal (s.93).",
    ),
    State("lapsed", "Lapsed: no offer or contract", terminal=True, public=True),
    State("withdrawn", "Withdrawn", terminal=True, public=True),
)
