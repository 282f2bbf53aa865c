"""Community asset transfer (England): the panel's scores, the interests its members declare, and its moderation.

Each public function is one transaction, taken with the application's case locked. Each assessor scores
each of the policy's criteria; the panel then agrees one score per criterion (moderation), and the
recommendation rests on the agreed scores. An assessor with an interest in the application, declared or
because they belong to the group applying, may do neither.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock, policies
from casework.actors import SYSTEM, Actor
from casework.db import Database
from casework.errors import Conflict, InvalidInput, PermissionDenied
from casework.models import AssessorConflict, AssessorScore, Case, ModeratedScore, UserRole
from casework.transitions import locks
from casework.transitions.apply import apply
from casework.transitions.trail import record_event
from workflows import asset_transfer
from workflows.policies import Rubric
from workflows.roles import STAFF_ROLES
from workflows.scoring import check_score, suggested_moderation

SCORING_STATE = "panel_assessment"


def declare_conflict(
    db: Database, actor: Actor, case_id: uuid.UUID, details: str, *, now: datetime | None = None
) -> None:
    """An assessor declares an interest in an application; from then on they cannot score it. One transaction.

    Everything they did on the panel stops counting: their own scores and every score they agreed as
    moderator are withdrawn (each recorded in the audit event). If the panel had already recommended, the
    recommendation rested on them, so the application returns to the panel to be agreed and recommended again.
    Raises PermissionDenied, Conflict (not at the panel) or InvalidInput.
    """
    now = now or clock.utcnow()
    if not details.strip():
        raise InvalidInput({"details": "Say what the interest is"})
    with db.transaction() as session:
        case = _scoring_case(session, actor, case_id, scoring=False, states=(SCORING_STATE, "recommended"))
        assert actor.user_id is not None  # noqa: S101 - staff always have a user
        _record_interest(session, case, actor.user_id, details.strip(), now)
        withdrawn, voided = _withdraw_scores(session, case, actor.user_id)
        summary = "An assessor declared an interest: their scores and agreed scores no longer count"
        data = {"details": details.strip(), "scores_withdrawn": withdrawn, "agreed_scores_voided": voided}
        record_event(session, case, actor, now=now, kind="conflict", summary=summary, data=data)
        follow = asset_transfer.after_scores_voided(case.state) if withdrawn or voided else None
        if follow is not None:
            cleared = {"score_percent": None, "recommend_approval": None, "recommend_approval_reasons": None}
            event = {"reason": "An assessor declared an interest after the recommendation"}
            apply(session, case, follow, SYSTEM, now=now, keep=cleared, event_data=event)


def _record_interest(session: Session, case: Case, assessor_id: uuid.UUID, details: str, now: datetime) -> None:
    """The assessor's interest in the application, recorded once however often it is declared."""
    exists = session.scalars(
        select(AssessorConflict).where(AssessorConflict.case_id == case.id, AssessorConflict.assessor_id == assessor_id)
    ).first()
    if exists is None:
        session.add(AssessorConflict(case_id=case.id, assessor_id=assessor_id, details=details, declared_at=now))


def _withdraw_scores(session: Session, case: Case, assessor_id: uuid.UUID) -> tuple[int, list[dict[str, Any]]]:
    """Delete the scores the assessor gave and agreed before declaring: how many they gave, and what they agreed."""
    scores = session.scalars(
        select(AssessorScore).where(AssessorScore.case_id == case.id, AssessorScore.assessor_id == assessor_id)
    ).all()
    agreed = session.scalars(
        select(ModeratedScore).where(ModeratedScore.case_id == case.id, ModeratedScore.moderated_by == assessor_id)
    ).all()
    voided = [{"criterion": m.criterion, "score": m.score, "reason": m.reason} for m in agreed]
    for row in (*scores, *agreed):  # given before the interest was declared: they no longer count
        session.delete(row)
    session.flush()
    return len(scores), voided


def record_score(
    db: Database,
    actor: Actor,
    case_id: uuid.UUID,
    criterion: str,
    score: int,
    comment: str,
    *,
    now: datetime | None = None,
) -> None:
    """One assessor's score and comment on one criterion; scoring again replaces their earlier score."""
    now = now or clock.utcnow()
    errors = {}
    if not comment.strip():
        errors["comment"] = "Give a comment with the score: what the application showed"
    with db.transaction() as session:
        case = _scoring_case(session, actor, case_id, scoring=True)
        _, policy = policies.transfer_policy(session, case)
        problem = check_score(policy.rubric, criterion, score)
        if problem:
            errors["score"] = problem
        if errors:
            raise InvalidInput(errors)
        assert actor.user_id is not None  # noqa: S101 - staff always have a user
        row = session.scalars(
            select(AssessorScore).where(
                AssessorScore.case_id == case.id,
                AssessorScore.assessor_id == actor.user_id,
                AssessorScore.criterion == criterion,
            )
        ).first()
        if row is None:
            row = AssessorScore(case_id=case.id, assessor_id=actor.user_id, criterion=criterion)
            session.add(row)
        row.score, row.comment, row.scored_at = score, comment.strip(), now
        summary = f"Scored {policy.rubric.criterion(criterion).label.lower()}: {score}"
        data = {"criterion": criterion, "score": score, "comment": comment.strip()}
        record_event(session, case, actor, now=now, kind="score", summary=summary, data=data)


def moderate(
    db: Database,
    actor: Actor,
    case_id: uuid.UUID,
    criterion: str,
    score: int,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """The panel's agreed score for one criterion; a score away from the assessors' median needs a reason."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        case = _scoring_case(session, actor, case_id, scoring=True)  # an interest bars agreeing scores too
        _, policy = policies.transfer_policy(session, case)
        median = _checked_moderation(session, case, policy.rubric, criterion, score, reason)
        assert actor.user_id is not None  # noqa: S101 - staff always have a user
        row = session.scalars(
            select(ModeratedScore).where(ModeratedScore.case_id == case.id, ModeratedScore.criterion == criterion)
        ).first()
        if row is None:
            row = ModeratedScore(case_id=case.id, criterion=criterion)
            session.add(row)
        row.score, row.reason, row.moderated_by, row.moderated_at = score, reason.strip(), actor.user_id, now
        summary = f"Agreed score for {policy.rubric.criterion(criterion).label.lower()}: {score}"
        data = {"criterion": criterion, "score": score, "reason": reason.strip(), "median": median}
        record_event(session, case, actor, now=now, kind="moderation", summary=summary, data=data)


def _checked_moderation(session: Session, case: Case, rubric: Rubric, criterion: str, score: int, reason: str) -> int:
    """The assessors' median for the criterion, once the agreed score is known good; else InvalidInput saying why."""
    errors = {}
    problem = check_score(rubric, criterion, score)
    if problem:
        errors["score"] = problem
    given = session.scalars(
        select(AssessorScore.score).where(AssessorScore.case_id == case.id, AssessorScore.criterion == criterion)
    ).all()
    suggestion = suggested_moderation(list(given))
    if suggestion is None:
        errors["criterion"] = "No assessor has scored this criterion yet"
    elif score != suggestion and not reason.strip():
        errors["reason"] = f"Say why the agreed score differs from the assessors' median of {suggestion}"
    if errors or suggestion is None:
        raise InvalidInput(errors)
    return suggestion


def _scoring_case(
    session: Session, actor: Actor, case_id: uuid.UUID, *, scoring: bool, states: tuple[str, ...] = (SCORING_STATE,)
) -> Case:
    """The application, locked, if the actor is council staff who may score it now."""
    if actor.role not in STAFF_ROLES or actor.user_id is None:
        raise PermissionDenied("Only council staff on the panel can score applications")
    case = locks.lock_for_transition(session, case_id)
    if case.council_id != actor.council_id:
        raise PermissionDenied("You can only score your own council's applications")
    if case.workflow != asset_transfer.NAME or case.state not in states:
        raise Conflict(f"Case {case.reference} is not waiting for the panel's scores")
    if scoring and _conflicted(session, actor.user_id, case):
        raise PermissionDenied(
            "You have an interest in this application (declared, or you belong to the group applying), so you "
            "cannot score it"
        )
    return case


def _conflicted(session: Session, user_id: uuid.UUID, case: Case) -> bool:
    declared = session.scalars(
        select(AssessorConflict.id).where(AssessorConflict.case_id == case.id, AssessorConflict.assessor_id == user_id)
    ).first()
    member = (
        case.organisation_id is not None
        and session.scalars(
            select(UserRole.id).where(UserRole.user_id == user_id, UserRole.organisation_id == case.organisation_id)
        ).first()
    )
    return declared is not None or bool(member)
