"""What bars a disposal of an asset now: an asset transfer request still open on it (CE(S)A 2015 s.84).

From the day a request is made until it is disposed of (decided, and any review or appeal over), the
authority must not dispose of the land to anyone but the body that made it; a contract in breach is void
(s.84(2)-(4), (11)). Every way the system records a disposal of an asset asks here first. A disposal the
Act excepts (s.84(12)-(13): already advertised, negotiated or initiated before the request was made, or
directed by the Scottish Ministers) is not barred by that request; `workflows.disposal_bar` judges it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from casework.repositories import cases
from workflows import disposal_bar, scotland_atr
from workflows.periods import long_date


@dataclass(frozen=True)
class Claimed:
    """An exception to the bar claimed for a disposal: which one (`workflows.disposal_bar`), and its date."""

    exception: str
    on: date | None


def barring_requests(
    session: Session,
    asset_id: uuid.UUID | None,
    *,
    excluding: uuid.UUID | None = None,
    claimed: Claimed | None = None,
) -> list[str]:
    """One sentence per open asset transfer request on the asset (other than `excluding`) that bars a disposal.

    With an exception `claimed`, a request it takes the disposal outside of does not bar it; one it does not
    is still named, with why the exception fails for it.
    """
    if asset_id is None:
        return []
    found = []
    for request in cases.cases_of_asset(session, asset_id, scotland_atr.NAME, scotland_atr.BARRED):
        if request.id == excluding:
            continue
        made = _made_on(request.facts.get("request_received_on"))
        since = f", made on {long_date(made)}" if made else ""
        sentence = f"asset transfer request {request.reference}{since}, is still open (CE(S)A 2015 s.84)"
        if claimed is not None:
            verdict = disposal_bar.lifts_bar(claimed.exception, claimed.on, made)
            if verdict.ok:
                continue
            sentence = f"{sentence}: {'; '.join(verdict.reasons)}"
        found.append(sentence)
    return found


def _made_on(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
