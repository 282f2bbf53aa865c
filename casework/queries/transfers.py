"""What council staff see of asset transfer applications: the panel's scoring sheet, an expression of interest
beside the policy's criteria, and competing applications for one asset side by side."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import policies
from casework.actors import Actor
from casework.db import Database
from casework.errors import CaseNotFound, NotFound, PermissionDenied
from casework.facts import rankings
from casework.models import (
    AssessorConflict,
    AssessorScore,
    Asset,
    Case,
    ModeratedScore,
    Organisation,
    User,
)
from casework.permissions import check_case_access
from workflows import asset_transfer, registry
from workflows.definition import Definition
from workflows.policies import Rubric
from workflows.roles import STAFF_ROLES
from workflows.scoring import IncompleteScores, ScoreResult, result, suggested_moderation


@dataclass(frozen=True)
class AssessorRow:
    name: str
    score: int
    comment: str
    mine: bool


@dataclass(frozen=True)
class CriterionSheet:
    id: str
    label: str
    weight: Decimal
    max_score: int
    gate: bool
    pass_mark: int | None
    guidance: str
    scores: tuple[AssessorRow, ...]
    suggestion: int | None
    moderated: int | None
    moderation_reason: str


@dataclass(frozen=True)
class ScoringSheet:
    case_id: uuid.UUID
    reference: str
    asset_id: uuid.UUID | None
    asset_name: str
    group_name: str
    state_label: str
    open_for_scoring: bool
    policy_label: str
    pass_threshold: Decimal
    criteria: tuple[CriterionSheet, ...]
    conflicted: bool
    conflicts: int
    result: ScoreResult | None
    missing: tuple[str, ...]


def scoring_sheet(db: Database, actor: Actor, reference: str) -> ScoringSheet:
    """Every criterion of the pinned rubric with each assessor's score, the median, and the agreed score."""
    with db.reader() as session:
        case = _staff_case(session, actor, reference)
        pinned, policy = policies.transfer_policy(session, case)
        moderated = {
            m.criterion: m for m in session.scalars(select(ModeratedScore).where(ModeratedScore.case_id == case.id))
        }
        conflicts = session.scalars(
            select(AssessorConflict.assessor_id).where(AssessorConflict.case_id == case.id)
        ).all()
        scored, missing = _scored(policy.rubric, moderated)
        defn = registry.get(case.workflow, case.workflow_version)
        return ScoringSheet(
            case.id,
            case.reference,
            case.asset_id,
            _asset_name(session, case),
            _group_name(session, case),
            defn.state(case.state).label,
            case.state == "panel_assessment",
            pinned.label,
            policy.rubric.pass_threshold,
            _criteria(session, case, policy.rubric, moderated, actor),
            actor.user_id in conflicts,
            len(conflicts),
            scored,
            missing,
        )


def _criteria(
    session: Session, case: Case, rubric: Rubric, moderated: dict[str, ModeratedScore], actor: Actor
) -> tuple[CriterionSheet, ...]:
    """Each criterion with every assessor's score on it (the actor's marked), the median and the agreed score."""
    scores = session.execute(
        select(AssessorScore, User.name)
        .join(User, User.id == AssessorScore.assessor_id)
        .where(AssessorScore.case_id == case.id)
        .order_by(User.name)
    ).all()
    sheets = []
    for criterion in rubric.criteria:
        given = tuple(
            AssessorRow(name, row.score, row.comment, row.assessor_id == actor.user_id)
            for row, name in scores
            if row.criterion == criterion.id
        )
        agreed = moderated.get(criterion.id)
        sheets.append(
            CriterionSheet(
                criterion.id,
                criterion.label,
                criterion.weight,
                criterion.max_score,
                criterion.gate,
                criterion.pass_mark,
                criterion.guidance,
                given,
                suggested_moderation([g.score for g in given]),
                agreed.score if agreed else None,
                agreed.reason if agreed else "",
            )
        )
    return tuple(sheets)


def _scored(rubric: Rubric, moderated: dict[str, ModeratedScore]) -> tuple[ScoreResult | None, tuple[str, ...]]:
    """The result once every criterion has an agreed score; until then none, and the criteria still missing one."""
    try:
        return result(rubric, {k: m.score for k, m in moderated.items()}), ()
    except IncompleteScores as incomplete:
        return None, incomplete.missing


@dataclass(frozen=True)
class EoiSheet:
    """An expression of interest beside the criteria the pinned policy checks it against (T4)."""

    case_id: uuid.UUID
    reference: str
    version: int
    asset_name: str
    group_name: str
    state_label: str
    open_for_assessment: bool
    policy_label: str
    criteria: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]  # what the group wrote, by question
    assessment: tuple[dict[str, object], ...]  # the criteria as assessed, once they have been


_EOI_ANSWERS = ("activities", "community_benefit", "track_record", "running_costs_plan", "tenure_sought")


def eoi_sheet(db: Database, actor: Actor, reference: str) -> EoiSheet:
    """The expression of interest and the policy's criteria for it, for council staff. Raises CaseNotFound or
    PermissionDenied."""
    with db.reader() as session:
        case = _staff_case(session, actor, reference)
        pinned, policy = policies.transfer_policy(session, case)
        defn = registry.get(case.workflow, case.workflow_version)
        answers = tuple(
            ((defn.field_label(name) or name).capitalize(), _in_words(defn, name, case.facts[name]))
            for name in _EOI_ANSWERS
            if case.facts.get(name)
        )
        return EoiSheet(
            case.id,
            case.reference,
            case.version,
            _asset_name(session, case),
            _group_name(session, case),
            defn.state(case.state).label,
            case.state == "eoi_submitted",
            pinned.label,
            policy.eoi_criteria,
            answers,
            tuple(case.facts.get("eoi_assessment") or ()),
        )


@dataclass(frozen=True)
class ComparedApplication:
    reference: str
    group_name: str
    state_label: str
    tenure: str | None
    result: ScoreResult | None
    rank: int | None  # among the open applications the policy supports, once every criterion is agreed
    tied: bool
    closed: bool  # refused, withdrawn, lapsed or ended: no longer competing

    @property
    def passes(self) -> bool:
        """The policy supports it: every gate passed and the threshold reached."""
        return self.result is not None and self.result.recommend


@dataclass(frozen=True)
class Comparison:
    asset_id: uuid.UUID
    asset_name: str
    address: str
    policy_labels: tuple[str, ...]
    applications: tuple[ComparedApplication, ...]


def compare(db: Database, actor: Actor, asset_id: uuid.UUID) -> Comparison:
    """Every application for one asset side by side: the open ones the policy supports ranked by weighted score (the
    same ranking the approval is checked against, casework.facts.rankings, which puts them first), then the open ones it
    does not support, unranked, best score first; then those not yet scored, then the closed ones."""
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only council staff can compare applications")
    with db.reader() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFound("There is no such asset")
        if asset.council_id != actor.council_id:
            raise PermissionDenied("You can only see your own council's applications")
        applications = rankings.applications(session, asset.id)
        labels = {policies.transfer_policy(session, case)[0].label for case in applications}
        standing = rankings.standings(session, applications)
        rows = sorted((_compared(session, case, standing[case.id]) for case in applications), key=_compared_order)
        return Comparison(asset.id, asset.name, asset.address, tuple(sorted(labels)), tuple(rows))


def _compared(session: Session, case: Case, standing: rankings.Standing) -> ComparedApplication:
    """One application as the comparison shows it: its rank only while the policy supports it."""
    defn = registry.get(case.workflow, case.workflow_version)
    placed = standing.ranked
    supported = placed is not None and placed.result.recommend
    return ComparedApplication(
        case.reference,
        _group_name(session, case),
        defn.state(case.state).label,
        case.facts.get("tenure") or case.facts.get("tenure_sought"),
        standing.result,
        placed.rank if placed and supported else None,
        bool(placed and supported and placed.tied),
        defn.state(case.state).terminal,
    )


def _compared_order(row: ComparedApplication) -> tuple[bool, bool, bool, int, Decimal, str]:
    score = row.result.weighted_percent if row.result else Decimal(0)
    return (row.closed, row.result is None, not row.passes, row.rank or 0, -score, row.reference)


def _staff_case(session: Session, actor: Actor, reference: str) -> Case:
    case = session.scalars(select(Case).where(Case.reference == reference)).first()
    if case is None or case.workflow != asset_transfer.NAME:
        raise CaseNotFound(f"There is no asset transfer application {reference}")
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only council staff on the panel can see the scores")
    check_case_access(session, actor, case)
    return case


def _asset_name(session: Session, case: Case) -> str:
    asset = session.get(Asset, case.asset_id) if case.asset_id else None
    return asset.name if asset else case.reference


def _group_name(session: Session, case: Case) -> str:
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    return organisation.name if organisation else "No group"


def _in_words(defn: Definition, name: str, value: object) -> str:
    """A recorded answer as the group chose it: a choice by its label ("Long lease (25 years or more)")."""
    spec = next((f for t in defn.transitions for f in t.fields if f.name == name), None)
    return dict(spec.choices).get(str(value), str(value)) if spec is not None and spec.choices else str(value)
