"""Asset transfer requests in Scotland (Community Empowerment (Scotland) Act 2015 Part 5).

One transaction per call. The request is a case on the land; the facts
providers check the body is a community transfer body and, for a request to
buy, one of the bodies s.80 allows. A question about the land asked first
(S1) is kept on the body's draft, from which it then makes its request.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, NotFound
from casework.models import Asset, Case, Council, Organisation
from casework.permissions import check_acts_for_group, check_staff_of
from casework.repositories import councils
from casework.transitions import locks
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from workflows import scotland_atr


def make_request(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    organisation_id: uuid.UUID,
    data: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> TransitionResult:
    """Open a request case on the land and record the request (s.79); the s.84 disposal bar starts with it."""
    now = now or clock.utcnow()
    check_acts_for_group(
        actor, organisation_id, "Only a member of the body, or a council officer, can make its request"
    )
    with db.transaction() as session:
        asset, council = _scottish_land(session, actor, asset_id, organisation_id)
        case = _draft(session, asset.id, organisation_id) or open_case(
            session, council, scotland_atr.NAME, actor, now=now, asset_id=asset.id, organisation_id=organisation_id
        )
        return apply(session, case, "submit", actor, data, now=now)


def ask_about_land(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    organisation_id: uuid.UUID,
    information_sought: str,
    *,
    now: datetime | None = None,
) -> TransitionResult:
    """A body asks the council for information about land before making a request (S1, s.81(3)).

    The question is recorded on the body's draft request for the land (opened if there is none), where the
    officer records the answer and from which the body later makes its request. One transaction.
    """
    now = now or clock.utcnow()
    check_acts_for_group(actor, organisation_id, "Only a member of the body, or a council officer, can ask for it")
    with db.transaction() as session:
        asset, council = _scottish_land(session, actor, asset_id, organisation_id)
        case = _draft(session, asset.id, organisation_id) or open_case(
            session, council, scotland_atr.NAME, actor, now=now, asset_id=asset.id, organisation_id=organisation_id
        )
        data = {"info_requested_on": clock.london_date(now).isoformat(), "information_sought": information_sought}
        return apply(session, case, "ask_for_information", actor, data, now=now)


def _scottish_land(
    session: Session, actor: Actor, asset_id: uuid.UUID, organisation_id: uuid.UUID
) -> tuple[Asset, Council]:
    asset = session.get(Asset, asset_id)
    if asset is None or session.get(Organisation, organisation_id) is None:
        raise NotFound("There is no such land or body")
    council = councils.get(session, asset.council_id)
    check_staff_of(actor, council.id, "You can only record requests made to your own council")
    if council.nation != "scotland":
        raise Conflict(
            f"Asset transfer requests under the Community Empowerment (Scotland) Act 2015 are made to Scottish "
            f"authorities; {council.name} is in {council.nation.capitalize()}, where asset transfer follows the "
            "council's own policy (CE(S)A 2015 s.78, Sch.3)"
        )
    return asset, council


def _draft(session: Session, asset_id: uuid.UUID, organisation_id: uuid.UUID) -> Case | None:
    """The body's draft request for this land, where an earlier question about it was recorded, locked."""
    found = [c for c in locks.lock_cases_of_asset(session, asset_id, scotland_atr.NAME, ("draft",))
             if c.organisation_id == organisation_id]  # fmt: skip
    return found[-1] if found else None
