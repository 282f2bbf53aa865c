"""What each transition of an asset transfer request asks for (STATUTE.md §4.4), named by the step that asks.

The definition's rows refer to them (`fields.REQUEST`, `fields.REVIEW_AGREED`); the choices a form offers for
them are here too.
"""

from __future__ import annotations

from workflows.definition import Field, FieldKind
from workflows.disposal_bar import BAR_EXCEPTIONS

REQUEST_TYPES = (
    ("ownership", "Ownership (to buy the land)"),
    ("lease", "A lease"),
    ("other_rights", "Other rights (occupation, management or use)"),
)
REVIEW_BODIES = (
    ("council", "The full council"),
    ("committee", "A committee of the council"),
    ("sub_committee", "A sub-committee of the council"),
)
EXTENSION_BASES = (
    ("agreed", "Agreed by the council and the body (s.83(7)(b)(i))"),
    ("directed", "Directed by the Scottish Ministers on the body's application (s.83(7)(b)(ii), (8))"),
)
BAR_EXCEPTION = "bar_exception"
BAR_EXCEPTION_ON = "bar_exception_on"


def _date(name: str, label: str, *, allow_future: bool = False, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, required=required, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True) -> Field:
    return Field(name, FieldKind.TEXT, label, required=required)


# Where another body's request is open, the disposal may still be one the bar excepts (s.84(12)-(13)).
BAR_EXCEPTION_FIELDS = (
    Field(
        BAR_EXCEPTION,
        FieldKind.CHOICE,
        "exception to the disposal bar that applies",
        choices=tuple((item.id, item.text) for item in BAR_EXCEPTIONS),
        required=False,
    ),
    Field(
        BAR_EXCEPTION_ON,
        FieldKind.DATE,
        "date the land was advertised, negotiations began, the transfer was initiated or the Ministers directed",
        required=False,
    ),
)

_NONE_MADE = Field("representations_received", FieldKind.BOOL, "answer to whether any representations were made")
_COMMENTED = Field("applicant_commented", FieldKind.BOOL, "answer to whether the body has commented", required=False)
_DECIDED = (
    _date("decided_on", "date of the decision"),
    _date("decision_notice_on", "date the decision notice was given"),
)
_TERMS = (
    _text("terms", "terms and conditions of the transfer (s.83(2))"),
    _date("offer_period_ends_on", "last day for the body to make its offer", allow_future=True),
)
_REVIEW = (
    _date("review_decided_on", "date of the review decision"),
    Field("review_body", FieldKind.CHOICE, "body that decided the review", choices=REVIEW_BODIES),
)
_REASONS_IF_ANY = _text("reasons", "reasons", required=False)
_GROUNDS = _text("reasons", "reasonable grounds for refusing")
_MINISTERS_DECIDED = _date("ministers_decided_on", "date of the Ministers' decision")

# The request and its decision (S1-S7, S17).
INFORMATION_REQUEST = (
    _date("info_requested_on", "date the council received the request for information", stamped=True),
    _text("information_sought", "information the body asks for about the land"),
)
INFORMATION_GIVEN = (
    _date("info_given_on", "date the information was given"),
    _text("information_given", "information given, or why it could not be"),
)
REQUEST = (
    _date("request_received_on", "date the council received the request", stamped=True),
    Field("request_type", FieldKind.CHOICE, "kind of request", choices=REQUEST_TYPES),
    _text("land_description", "land the request is about"),
    _text("reasons", "reasons for the request"),
    _text("benefits", "benefits the body expects"),
    _text("price_or_terms", "price, or the rent, duration and terms of the lease, or the rights sought"),
    _text("proposed_use", "proposed use of the land"),
    _text("funding", "how the acquisition and the use will be funded"),
    _text("community_support", "level and nature of community support"),
)
DECLINED_AS_REPEAT = (_date("declined_on", "date the request was declined"), _text("reasons", "reasons"))
MISSING_ITEMS = (_date("incomplete_notice_on", "date the notice was sent"), _text("missing_items", "what is missing"))
VALIDATION = (
    _date("validation_date", "validation date (the day the last required item was received)"),
    _date("acknowledged_on", "date the acknowledgement was sent"),
)
LONGER_DECISION_PERIOD = (
    _date("longer_period_agreed_on", "date the longer period was agreed with the body"),
    _date("decision_due_by", "last day of the longer period agreed", allow_future=True),
)
PUBLICATION = (
    _date("notice_published_on", "date notice was given or first published"),
    _date("representations_close_on", "last day for representations", allow_future=True),
)
REPRESENTATIONS_SENT = (
    _date("representations_sent_on", "date copies were sent to the body"),
    _text("representations_summary", "summary of the representations received"),
)
AGREED_WITHOUT_COMMENTS = (*_DECIDED, *_TERMS, _REASONS_IF_ANY, _NONE_MADE)
AGREED_AFTER_COMMENTS = (*_DECIDED, *_TERMS, _REASONS_IF_ANY, _COMMENTED)
REFUSED_WITHOUT_COMMENTS = (*_DECIDED, _GROUNDS, _NONE_MADE)
REFUSED_AFTER_COMMENTS = (*_DECIDED, _GROUNDS, _COMMENTED)

# Review and appeal (S13-S16).
REVIEW_REQUEST = (_date("review_requested_on", "date the council received the request for review", stamped=True),)
LONGER_REVIEW_PERIOD = (
    _date("review_longer_period_agreed_on", "date the longer period was agreed with the body"),
    _date("review_due_by", "last day of the longer period agreed", allow_future=True),
)
REVIEW_AGREED = (*_REVIEW, _date("decision_notice_on", "date the review decision notice was given"), *_TERMS)
REVIEW_REFUSED = (*_REVIEW, _text("reasons", "reasons"))
APPEAL = (_date("appeal_lodged_on", "date the appeal was made", stamped=True),)
MINISTERS_ALLOWED = (
    _MINISTERS_DECIDED,
    _date("decision_notice_on", "date the further decision notice was given"),
    *_TERMS,
)
MINISTERS_DISMISSED = (_MINISTERS_DECIDED, _text("reasons", "reasons"))

# The offer and the contract (S8-S11), and withdrawal.
OFFER = (_date("offer_submitted_on", "date the offer was made", stamped=True),)
LONGER_CONTRACT_PERIOD = (
    _date("contract_extended_on", "date the longer period was agreed or directed"),
    _date("contract_due_by", "last day of the longer contract period", allow_future=True),
    Field("contract_extension_basis", FieldKind.CHOICE, "way the longer period was set", choices=EXTENSION_BASES),
)
CONTRACT_CONCLUDED = (_date("contract_concluded_on", "date the contract was concluded"), *BAR_EXCEPTION_FIELDS)
NO_OFFER = (_date("lapsed_on", "date recorded"),)
WITHDRAWAL = (_text("withdrawal_reasons", "reason for withdrawing", required=False),)
