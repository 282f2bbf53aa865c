"""What a group or owner is shown when the council has received what they sent: the GOV.UK confirmation page.

The page gives the case reference, what happens next with the dates the case now runs to (its open deadlines,
soonest first, each with its legal basis), how to contact the council, and a record of what was sent, to print
or keep. It is built from what the engine recorded, not from what the form held, so the record is the council's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import CaseNotFound
from casework.models import Asset, Case, Council, Deadline, Organisation
from casework.permissions import check_case_read
from casework.queries.submissions import Submission, case_submissions, sent_heading
from workflows import registry
from workflows.definition import Definition


@dataclass(frozen=True)
class NextDate:
    label: str
    due: date
    due_time: time | None
    basis: str


@dataclass(frozen=True)
class Confirmation:
    heading: str  # "Nomination sent"
    reference: str
    title: str  # the place or service the case is about
    workflow_title: str
    state_label: str
    state_description: str
    council_name: str
    council_email: str | None
    organisation: str | None
    submission: Submission
    next_dates: tuple[NextDate, ...]


def confirmation(db: Database, actor: Actor, reference: str) -> Confirmation:
    """The last thing `actor` sent on the case, with what happens next. Raises CaseNotFound when the case does not
    exist or they have sent nothing on it (there is nothing to confirm), PermissionDenied when they may not read it.
    """
    with db.reader() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).first()
        if case is None:
            raise CaseNotFound(f"There is no case {reference}")
        check_case_read(session, actor, case)
        theirs = [
            sub
            for sub in case_submissions(session, actor, case)
            if sub.sent_by_id is not None and sub.sent_by_id == actor.user_id and not sub.withdrawal
        ]
        if not theirs:
            raise CaseNotFound(f"You have not sent anything on case {reference}")
        defn = registry.get(case.workflow, case.workflow_version)
        state = defn.state(case.state)
        council = session.get_one(Council, case.council_id)
        asset = session.get(Asset, case.asset_id) if case.asset_id else None
        # "for Friends of ..." only to someone who sent it for that group: an owner asking for a review of a
        # listing the group nominated sent it for themselves.
        acting_for = case.organisation_id if case.organisation_id in actor.organisation_ids else None
        organisation = session.get(Organisation, acting_for) if acting_for else None
        return Confirmation(
            heading=sent_heading(theirs[-1]),
            reference=case.reference,
            title=asset.name if asset else str(case.facts.get("service_name") or defn.title),
            workflow_title=defn.title,
            state_label=state.label,
            state_description=state.description,
            council_name=council.name,
            council_email=council.email,
            organisation=organisation.name if organisation else None,
            submission=theirs[-1],
            next_dates=_next_dates(session, defn, case),
        )


def _next_dates(session: Session, defn: Definition, case: Case) -> tuple[NextDate, ...]:
    """The case's open deadlines, soonest first, each named as its process names it and with its legal basis."""
    labels = {timer.name: timer.label for timer in defn.timers}
    pending = session.scalars(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.status == "pending")
        .order_by(Deadline.due_date, Deadline.created_at)
    )
    return tuple(NextDate(labels.get(d.timer, d.timer), d.due_date, d.due_time, d.basis) for d in pending)
