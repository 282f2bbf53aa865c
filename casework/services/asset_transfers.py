"""Community asset transfer (England): applications, and the panel's scores, conflicts and moderation.

Each public function is one transaction. An application is a case on one of
the council's assets, pinned to the council's asset transfer policy in force
the day it starts; several groups may apply for one asset and are compared
on their moderated scores (`casework.queries.transfers`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import assets, clock, policies
from casework.actors import SYSTEM, Actor
from casework.assets import AssetDetails, PartyDetails
from casework.db import Database
from casework.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from casework.facts import transfer as transfer_facts
from casework.models import (
    AssessorConflict,
    AssessorScore,
    Asset,
    Case,
    Council,
    ModeratedScore,
    Organisation,
    UserRole,
)
from casework.permissions import check_acts_for_group, check_staff_of
from casework.repositories import councils
from casework.transitions import locks
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from casework.transitions.trail import record_event
from workflows import asset_transfer
from workflows.policies import TENURES, TransferPolicy
from workflows.roles import STAFF_ROLES
from workflows.scoring import check_score, suggested_moderation

SCORING_STATE = "panel_assessment"


def offer_asset(db: Database, actor: Actor, details: AssetDetails, *, now: datetime | None = None) -> uuid.UUID:
    """Record one of the council's own buildings or spaces as offered for community asset transfer."""
    now = now or clock.utcnow()
    checked = assets.checked_asset(details)
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("Only council staff can offer the council's assets for transfer")
    with db.transaction() as session:
        council = councils.get(session, actor.council_id)
        asset = assets.find_asset(session, council, checked) or assets.create_asset(session, council, checked, now)
        asset.offered_for_transfer = True
        assets.add_party(session, asset, PartyDetails("owner", council.name, email=council.email), now)
        return asset.id


def start_application(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    organisation_id: uuid.UUID,
    *,
    enquiry_received_on: date,
    proposed_use: str,
    tenure_sought: str,
    now: datetime | None = None,
) -> TransitionResult:
    """A group's enquiry about taking on a council asset (T1), under the policy in force today."""
    now = now or clock.utcnow()
    check_acts_for_group(actor, organisation_id, "Only a member of the group, or a council officer, can apply for it")
    with db.transaction() as session:
        asset = session.get(Asset, asset_id)
        organisation = session.get(Organisation, organisation_id)
        if asset is None or organisation is None:
            raise NotFound("There is no such asset or group")
        check_staff_of(actor, asset.council_id, "You can only record applications for your own council's assets")
        council = councils.get(session, asset.council_id)
        if council.nation == "scotland":
            raise Conflict(f"{council.name} is in Scotland: make an asset transfer request under the 2015 Act instead")
        if council.nation != "england":
            raise Conflict(
                f"{council.name} is in {council.nation.capitalize()}: asset transfer here follows English councils' "
                "policies, whose right to bid moratorium is not in force there (LA 2011 s.240; ACV Regs reg.1(2))"
            )
        if not asset.offered_for_transfer:
            raise Conflict(f"{council.name} has not offered {asset.name} for community asset transfer")
        policy = _enquiry_policy(session, council, tenure_sought, clock.london_date(now))
        case = open_case(
            session, council, asset_transfer.NAME, actor, now=now, asset_id=asset.id,
            organisation_id=organisation.id, policy_id=policy.id,
        )  # fmt: skip
        data = {
            "enquiry_received_on": enquiry_received_on,
            "proposed_use": proposed_use,
            "tenure_sought": tenure_sought,
        }
        enquired = apply(session, case, "enquire", actor, data, now=now)
        if isinstance(policy.rules, TransferPolicy) and policy.rules.eoi_advert_per_asset:
            window = transfer_facts.advertised_window(session, case)
            if window is not None and window[1] >= clock.london_date(now):  # join the window already advertised
                return apply(session, case, "join_eoi_window", SYSTEM, now=now)
        return enquired


def _enquiry_policy(session: Session, council: Council, tenure_sought: str, on: date) -> policies.PinnedPolicy:
    """The policy an enquiry made `on` runs under, if it offers the tenure sought.

    A tenure the policy does not offer is refused at the enquiry rather than at the decision (where
    `tenure_offered` guards the transfer): a group should not spend months on a business case for a tenure
    the council's published policy never offers.
    """
    policy = policies.current(session, council.id, asset_transfer.NAME, on)
    if policy is None:
        raise Conflict(f"{council.name} has not published an asset transfer policy yet")
    if isinstance(policy.rules, TransferPolicy) and tenure_sought not in policy.rules.tenures:
        offered = ", ".join(t.label.lower() for t in TENURES if t.id in policy.rules.tenures)
        raise InvalidInput({"tenure_sought": f"Select a kind of transfer {council.name}'s policy offers: {offered}"})
    return policy


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
        exists = session.scalars(
            select(AssessorConflict).where(
                AssessorConflict.case_id == case.id, AssessorConflict.assessor_id == actor.user_id
            )
        ).first()
        if exists is None:
            session.add(
                AssessorConflict(case_id=case.id, assessor_id=actor.user_id, details=details.strip(), declared_at=now)
            )
        scores = session.scalars(
            select(AssessorScore).where(AssessorScore.case_id == case.id, AssessorScore.assessor_id == actor.user_id)
        ).all()
        agreed = session.scalars(
            select(ModeratedScore).where(
                ModeratedScore.case_id == case.id, ModeratedScore.moderated_by == actor.user_id
            )
        ).all()
        voided = [{"criterion": m.criterion, "score": m.score, "reason": m.reason} for m in agreed]
        for row in (*scores, *agreed):  # given before the interest was declared: they no longer count
            session.delete(row)
        session.flush()
        record_event(
            session, case, actor, now=now, kind="conflict",
            summary="An assessor declared an interest: their scores and agreed scores no longer count",
            data={"details": details.strip(), "scores_withdrawn": len(scores), "agreed_scores_voided": voided},
        )  # fmt: skip
        follow = asset_transfer.after_scores_voided(case.state) if scores or agreed else None
        if follow is not None:
            cleared = {"score_percent": None, "recommend_approval": None, "recommend_approval_reasons": None}
            event = {"reason": "An assessor declared an interest after the recommendation"}
            apply(session, case, follow, SYSTEM, now=now, keep=cleared, event_data=event)


@dataclass(frozen=True)
class EoiVerdict:
    """The officer's finding on one of the policy's criteria for an expression of interest."""

    criterion: str
    met: bool | None
    reasons: str


def assess_eoi(
    db: Database,
    actor: Actor,
    case_id: uuid.UUID,
    assessed_on: date,
    verdicts: Sequence[EoiVerdict],
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """T4: the expression of interest against each criterion the policy names, met or not, with reasons.

    Every criterion met passes it (pass_eoi); any not met fails it (fail_eoi), the reasons going to the
    group. One transaction; raises InvalidInput naming each criterion left unanswered, and the workflow's
    refusals.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        case = locks.lock_for_transition(session, case_id)
        _, policy = policies.transfer_policy(session, case)
        given = {v.criterion: v for v in verdicts}
        errors = {}
        for number, criterion in enumerate(policy.eoi_criteria, start=1):
            verdict = given.get(criterion)
            if verdict is None or verdict.met is None:
                errors[f"criterion-{number}"] = f"Select whether it meets: {criterion}"
            elif not verdict.reasons.strip():
                errors[f"criterion-{number}-reasons"] = f"Give the reasons for: {criterion}"
        if errors:
            raise InvalidInput(errors)
        rows = [{"criterion": c, "met": given[c].met, "reasons": given[c].reasons.strip()} for c in policy.eoi_criteria]
        lines = [f"{r['criterion']}: {'met' if r['met'] else 'not met'}. {r['reasons']}" for r in rows]
        passed = all(r["met"] for r in rows)
        summary = "\n".join(lines if passed else [line for line, r in zip(lines, rows, strict=True) if not r["met"]])
        trigger, reasons = ("pass_eoi", "eoi_reasons") if passed else ("fail_eoi", "reasons")
        data = {"eoi_assessed_on": assessed_on, reasons: summary}
        return apply(
            session, case, trigger, actor, data, now=now, expected_version=expected_version,
            keep={"eoi_assessment": rows},
        )  # fmt: skip


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
        label = policy.rubric.criterion(criterion).label
        record_event(
            session, case, actor, now=now, kind="score", summary=f"Scored {label.lower()}: {score}",
            data={"criterion": criterion, "score": score, "comment": comment.strip()},
        )  # fmt: skip


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
        errors = {}
        problem = check_score(policy.rubric, criterion, score)
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
        if errors:
            raise InvalidInput(errors)
        assert actor.user_id is not None  # noqa: S101 - staff always have a user
        row = session.scalars(
            select(ModeratedScore).where(ModeratedScore.case_id == case.id, ModeratedScore.criterion == criterion)
        ).first()
        if row is None:
            row = ModeratedScore(case_id=case.id, criterion=criterion)
            session.add(row)
        row.score, row.reason, row.moderated_by, row.moderated_at = score, reason.strip(), actor.user_id, now
        label = policy.rubric.criterion(criterion).label
        record_event(
            session, case, actor, now=now, kind="moderation", summary=f"Agreed score for {label.lower()}: {score}",
            data={"criterion": criterion, "score": score, "reason": reason.strip(), "median": suggestion},
        )  # fmt: skip


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
