"""A deadline that failed to fire: tried again later, waiting longer each time, until officers must look at it.

The sweep (casework.services.deadlines) records each failure here; an officer who has put right what was wrong
asks for the deadline to be tried again at the next sweep.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.models import Deadline
from casework.models.deadline import FAILED, PENDING
from casework.permissions import check_case_access
from casework.queries.problems import timer_label
from casework.transitions import locks
from casework.transitions.deadlines import refresh_next_due
from casework.transitions.trail import record_event
from workflows.roles import STAFF_ROLES

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # a deadline that fails this often is not failing by chance: officers must look at it
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)


def record_failure(deadline: Deadline, error: str, now: datetime) -> None:
    """A deadline failed to fire: try it again later, waiting longer each time; after MAX_ATTEMPTS give up.

    Either way it is shown to officers (the case page, the work queue, the digest) with its error, and an officer
    can ask for it to be tried again. `fires_at` becomes the time of the next try; the due date stays as it was.
    """
    deadline.attempts += 1
    deadline.last_error = error[:2000]
    if deadline.attempts >= MAX_ATTEMPTS:
        deadline.status = FAILED
        deadline.outcome = f"Gave up after {deadline.attempts} attempts"
        log.error("deadline %s failed %d times; giving up: %s", deadline.id, deadline.attempts, error)
        return
    deadline.fires_at = now + min(LONGEST_WAIT, FIRST_WAIT * 2 ** (deadline.attempts - 1))


def retry(db: Database, actor: Actor, deadline_id: uuid.UUID, *, now: datetime | None = None) -> str:
    """An officer asks for a deadline that failed to fire to be tried again at the next sweep; returns its label.

    Its attempts start again from nought; the case's trail records who asked and the last error. One transaction.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        if actor.role not in STAFF_ROLES:
            raise PermissionDenied("Only council staff can try a deadline again")
        deadline = session.get(Deadline, deadline_id)
        if deadline is None:
            raise NotFound("There is no such deadline")
        case = locks.lock_case(session, deadline.case_id)
        check_case_access(session, actor, case)
        session.refresh(deadline, with_for_update=True)
        if not (deadline.status == FAILED or (deadline.status == PENDING and deadline.attempts > 0)):
            raise Conflict("That deadline has not failed: there is nothing to try again")
        label = timer_label(case.workflow, case.workflow_version, deadline.timer)
        summary = f"Asked for \u201c{label}\u201d to be applied again at the next sweep"
        data = {"deadline_id": str(deadline.id), "attempts": deadline.attempts, "last_error": deadline.last_error}
        record_event(session, case, actor, now=now, kind="deadline_retried", summary=summary, data=data)
        deadline.status = PENDING
        deadline.attempts = 0
        deadline.outcome = None
        deadline.fires_at = now
        session.flush()
        refresh_next_due(session, case)  # pending again: the case's next due date once more, if soonest
        return label
