"""The community right to challenge: a group's expression of interest in running a council service.

One transaction per call. The case pins the council's published policy (its
services, windows and periods) in force on the day; the facts providers check
the body, the service and the window, so a refused expression of interest
writes nothing and says why (LA 2011 s.81(6), s.82(4)).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casework import clock, policies
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, NotFound
from casework.models import Organisation
from casework.permissions import check_acts_for_group, check_staff_of
from casework.repositories import councils
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from workflows import challenge


def express_interest(
    db: Database,
    actor: Actor,
    council_code: str,
    organisation_id: uuid.UUID,
    data: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> TransitionResult:
    """Open a challenge case for `organisation_id` and send its expression of interest (RC1)."""
    now = now or clock.utcnow()
    check_acts_for_group(
        actor, organisation_id, "Only a member of the group, or a council officer, can send its expression of interest"
    )
    with db.transaction() as session:
        council = councils.get_by_code(session, council_code)
        check_staff_of(actor, council.id, "You can only record expressions of interest for your own council")
        if council.nation != "england":
            raise Conflict("The community right to challenge applies to English councils only (LA 2011 s.81(2))")
        if session.get(Organisation, organisation_id) is None:
            raise NotFound("There is no such group")
        policy = policies.current(session, council.id, challenge.NAME, clock.london_date(now))
        if policy is None:
            raise Conflict(f"{council.name} has not published which services are open to challenge")
        case = open_case(
            session, council, challenge.NAME, actor, now=now, organisation_id=organisation_id, policy_id=policy.id
        )
        return apply(session, case, "submit", actor, data, now=now)
