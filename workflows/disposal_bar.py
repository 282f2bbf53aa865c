"""Scotland's disposal bar and the disposals it excepts (CE(S)A 2015 s.84; STATUTE.md §4.4, row S4).

Pure module. While an asset transfer request is open the authority must not dispose of the land to anyone
but the body that made it (s.84(2)-(4)); a contract in breach is void (s.84(11)). The bar does not reach a
disposal already under way when the request was made: land already advertised, negotiations already under
way, or a transfer already initiated before the request (s.84(12)); nor one the Scottish Ministers direct
(s.84(13)). Each exception is recorded with its basis and the date that makes it hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows.checklists import Verdict
from workflows.periods import long_date


@dataclass(frozen=True)
class BarException:
    id: str
    text: str
    basis: str
    before_request: bool  # the step must have been taken before the request was made


BAR_EXCEPTIONS = (
    BarException(
        "advertised",
        "The land was advertised for sale or lease before the request was made",
        "CE(S)A 2015 s.84(12)",
        before_request=True,
    ),
    BarException(
        "negotiations",
        "Negotiations to dispose of the land to another person were under way before the request was made",
        "CE(S)A 2015 s.84(12)",
        before_request=True,
    ),
    BarException(
        "transfer_initiated",
        "A transfer of the land to another person was initiated before the request was made",
        "CE(S)A 2015 s.84(12)",
        before_request=True,
    ),
    BarException(
        "ministers_direction",
        "The Scottish Ministers directed that the bar does not apply to this disposal",
        "CE(S)A 2015 s.84(13)",
        before_request=False,
    ),
)

_BY_ID = {item.id: item for item in BAR_EXCEPTIONS}


def bar_exception(exception_id: str) -> BarException:
    return _BY_ID[exception_id]


def lifts_bar(exception_id: str | None, step_on: date | None, request_made_on: date | None) -> Verdict:
    """Whether the exception claimed takes this disposal outside the bar of a request made on `request_made_on`.

    The steps s.84(12) excepts count only if taken before the request was made; a Ministers' direction
    (s.84(13)) needs only its date.
    """
    if not exception_id:
        return Verdict(False, ("No exception to the bar is recorded",), ("CE(S)A 2015 s.84(2)",))
    item = _BY_ID[exception_id]
    if step_on is None:
        return Verdict(False, (f"Record the date for: {item.text.lower()}",), (item.basis,))
    if item.before_request and (request_made_on is None or step_on >= request_made_on):
        made = long_date(request_made_on) if request_made_on else "an unknown date"
        return Verdict(
            False,
            (f"{long_date(step_on)} is not before the request was made on {made}, so {item.basis} does not apply",),
            (item.basis,),
        )
    return Verdict(True, (f"{item.text}: {long_date(step_on)} ({item.basis})",), (item.basis,))
