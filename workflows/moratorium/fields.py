"""What each moratorium transition asks for: the owner's notice, a request to bid, a sale, an exempt disposal."""

from __future__ import annotations

from workflows.checklists import EXEMPT_DISPOSALS
from workflows.definition import Field, FieldKind

NOTICE_RECEIVED_ON = "notice_received_on"  # R: every period runs from it (s.95(6))
LISTED_ON = "listed_on"  # the entry date of the listing, gathered when an exempt disposal is recorded
RIGHT_GRANTED_ON = "right_granted_on"


def _date(name: str, label: str, *, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, stamped=stamped)


OWNERS_NOTICE = (
    _date(NOTICE_RECEIVED_ON, "date the council received the owner's notice", stamped=True),
    Field(
        "notice_method",
        FieldKind.CHOICE,
        "way the notice arrived",
        choices=(("post", "Post"), ("hand", "By hand"), ("email", "Email"), ("portal", "Online")),
    ),
    Field(
        "disposal_type",
        FieldKind.CHOICE,
        "kind of disposal intended",
        choices=(
            ("freehold", "Sale of the freehold"),
            ("qualifying_lease", "Grant or assignment of a lease of 25 years or more"),
        ),
    ),
    Field("vacant_possession", FieldKind.BOOL, "answer to whether the disposal is with vacant possession"),
)
REQUEST_TO_BID = (
    _date("request_received_on", "date the council received the request", stamped=True),
    Field("cig_name", FieldKind.TEXT, "name of the community interest group", max_length=300),
)
SALE = (
    _date("disposal_entered_on", "date the disposal was entered into (binding contract)"),
    Field("acquirer_name", FieldKind.TEXT, "name of the buyer or tenant", max_length=300),
    Field(
        "whole_or_part",
        FieldKind.CHOICE,
        "extent of the land disposed of",
        choices=(("whole", "All of the listed land"), ("part", "Part of the listed land")),
    ),
)
SALE_TO_GROUP = (
    *SALE,
    Field("acquirer_is_cig", FieldKind.BOOL, "answer to whether the buyer is a community interest group"),
)
EXEMPT_DISPOSAL = (
    _date("disposal_entered_on", "date of the disposal"),
    Field(
        "exemption",
        FieldKind.CHOICE,
        "exemption that applies",
        choices=tuple((item.id, item.text) for item in EXEMPT_DISPOSALS),
    ),
    Field("disposal_details", FieldKind.TEXT, "details of the disposal and the new owner"),
    Field(
        RIGHT_GRANTED_ON,
        FieldKind.DATE,
        "date the planning obligation was made or the option or right was granted",
        required=False,
    ),
)
BREACH = (
    _date("breach_disposal_entered_on", "date of the disposal in breach"),
    Field("breach_details", FieldKind.TEXT, "details of the disposal"),
)
