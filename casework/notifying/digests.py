"""The daily email to each officer: deadlines coming up in the next week, decisions overdue, mail that failed."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casework import clock
from casework.config import Settings
from casework.db import Database
from casework.models import Case, Council, Deadline, Delivery, User, UserRole
from casework.models.deadline import FIRED, PENDING
from casework.models.notification import BY_POST, FAILED, UNCONFIRMED
from casework.notifying.notices.render import Rendered, render
from casework.queries.problems import DELIVERY, problems, timer_label
from workflows.periods import long_date
from workflows.roles import Role

HORIZON = timedelta(days=7)


def send_daily_digests(db: Database, settings: Settings, *, now: datetime | None = None) -> list[uuid.UUID]:
    """Plan today's digest for every officer with something to do; returns the deliveries to send.

    Keyed by officer and day, so running it twice in a day plans nothing new.
    """
    now = now or clock.utcnow()
    today = clock.london_date(now)
    planned = []
    with db.transaction() as session:
        for council in session.scalars(select(Council)):
            items = _items(session, council, today)
            if not items:
                continue
            officers = session.scalars(
                select(User)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.council_id == council.id, UserRole.role == Role.OFFICER.value, User.active.is_(True))
            ).all()
            for officer in officers:
                planned.append(_plan(session, council, officer, items, settings, today, now))
        return [delivery_id for delivery_id in planned if delivery_id is not None]


def _items(session: Session, council: Council, today: date) -> list[dict[str, Any]]:
    """What needs the council's officers: deadlines due within a week, decisions overdue, work that keeps failing,
    and letters or emails stuck."""
    return _deadlines(session, council, today) + _problems(session, council) + _stuck(session, council)


def _deadlines(session: Session, council: Council, today: date) -> list[dict[str, Any]]:
    soon = session.execute(
        select(Deadline, Case)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.council_id == council.id, Deadline.status == PENDING, Deadline.due_date <= today + HORIZON)
        .order_by(Deadline.due_date)
    ).all()
    overdue = session.execute(
        select(Deadline, Case)
        .join(Case, Case.id == Deadline.case_id)
        .where(
            Deadline.council_id == council.id,
            Deadline.status == FIRED,
            Deadline.expiry_kind == "escalate",
            Case.state_changed_at < Deadline.fired_at,  # nothing has happened on the case since it went overdue
        )
        .order_by(Deadline.due_date)
    ).all()
    return [_item(deadline, case, "Due") for deadline, case in soon] + [
        _item(deadline, case, "Overdue") for deadline, case in overdue
    ]


def _problems(session: Session, council: Council) -> list[dict[str, Any]]:
    return [
        {
            "label": f"{'Failed' if problem.given_up else 'Failing'}: {problem.case_reference}, {problem.what}",
            "due": "Try it again from the case page" if problem.given_up else "The worker is still trying",
            "time": None,
            "basis": problem.error or "",
        }
        for problem in problems(session, council.id)
        if problem.kind != DELIVERY  # listed below with the letters still to send
    ]


def _stuck(session: Session, council: Council) -> list[dict[str, Any]]:
    stuck = session.scalars(
        select(Delivery).where(Delivery.council_id == council.id, Delivery.status.in_([FAILED, UNCONFIRMED, BY_POST]))
    ).all()
    return [
        {
            "label": f"Letter or email to {d.recipient_name or d.recipient} ({d.status.replace('_', ' ')})",
            "due": d.subject,
            "time": None,
            "basis": d.last_error or "Send it by post or another reasonable way",
        }
        for d in stuck
    ]


def _item(deadline: Deadline, case: Case, kind: str) -> dict[str, Any]:
    return {
        "label": f"{kind}: {case.reference}, {timer_label(case.workflow, case.workflow_version, deadline.timer)}",
        "due": long_date(deadline.due_date),
        "time": deadline.due_time.strftime("%H:%M") if deadline.due_time else None,
        "basis": deadline.basis,
    }


def _plan(
    session: Session,
    council: Council,
    officer: User,
    items: list[dict[str, Any]],
    settings: Settings,
    today: date,
    now: datetime,
) -> uuid.UUID | None:
    """The officer's digest for today as a delivery, unless it was planned already; returns its id if new."""
    rendered = _digest(council, items, settings, today)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(Delivery)
        .values(
            id=uuid.uuid4(),
            key=f"digest:{officer.id}:{today.isoformat()}",
            council_id=council.id,
            channel="notify" if settings.notify_api_key else "email",
            parties=["officer"],
            recipient=officer.email,
            recipient_name=officer.name,
            template="digest",
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
            status="pending",
            attempts=0,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Delivery.id)
    ).first()
    return inserted[0] if inserted else None


def _digest(council: Council, items: list[dict[str, Any]], settings: Settings, today: date) -> Rendered:
    """The digest's words: the same for every officer of the council."""
    context = {
        "service_name": settings.service_name,
        "council_name": council.name,
        "dates": items,
        "count": len(items),
        "case_url": f"{settings.base_url}/officer/cases",
    }
    return render("digest", f"Your cases for {long_date(today)}", context)
