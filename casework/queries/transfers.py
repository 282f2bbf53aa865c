"""What the asset transfer and right-to-challenge pages show: assets on offer, the panel's scoring sheet,
competing applications side by side, and the services open to challenge."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import clock, policies
from casework.actors import Actor
from casework.db import Database
from casework.errors import CaseNotFound, NotFound, PermissionDenied
from casework.facts import rankings
from casework.models import (
    AssessorConflict,
    AssessorScore,
    Asset,
    Case,
    Council,
    ModeratedScore,
    Organisation,
    Policy,
    User,
)
from casework.permissions import check_case_access
from workflows import asset_transfer, challenge, registry, scotland_atr
from workflows.policies import TENURES, ChallengePolicy, ServiceWindow, TransferPolicy
from workflows.roles import STAFF_ROLES
from workflows.scoring import IncompleteScores, ScoreResult, result, suggested_moderation


@dataclass(frozen=True)
class OfferedAsset:
    id: uuid.UUID
    name: str
    address: str
    category: str
    council_code: str
    council_name: str
    nation: str
    applications: int  # open applications or requests for it
    # England: the tenures (id, label) the council's policy in force today offers, the only ones an enquiry may seek
    tenures: tuple[tuple[str, str], ...] = ()


def offered_assets(db: Database) -> list[OfferedAsset]:
    """Council buildings and spaces offered for community asset transfer, in England and Scotland."""
    with db.reader() as session:
        return _offered(session, None)


def offered_asset(db: Database, asset_id: uuid.UUID) -> OfferedAsset:
    with db.reader() as session:
        found = _offered(session, asset_id)
    if not found:
        raise NotFound("That building or space is not offered for transfer")
    return found[0]


def _offered(session: Session, asset_id: uuid.UUID | None) -> list[OfferedAsset]:
    stmt = select(Asset, Council).join(Council, Council.id == Asset.council_id)
    stmt = stmt.where(Asset.offered_for_transfer.is_(True)).order_by(Council.name, Asset.name)
    if asset_id is not None:
        stmt = stmt.where(Asset.id == asset_id)
    rows = session.execute(stmt).all()
    counts = dict(
        session.execute(
            select(Case.asset_id, func.count())
            .where(
                Case.asset_id.in_([asset.id for asset, _ in rows]),
                Case.workflow.in_([asset_transfer.NAME, scotland_atr.NAME]),
                Case.closed_at.is_(None),
            )
            .group_by(Case.asset_id)
        ).all()
    )
    tenures = {c.id: _tenures_offered(session, c) for c in {c for _, c in rows}}
    return [
        OfferedAsset(a.id, a.name, a.address, a.category, c.code, c.name, c.nation, counts.get(a.id, 0), tenures[c.id])
        for a, c in rows
    ]


def _tenures_offered(session: Session, council: Council) -> tuple[tuple[str, str], ...]:
    pinned = policies.current(session, council.id, asset_transfer.NAME, clock.london_date(clock.utcnow()))
    if pinned is None or not isinstance(pinned.rules, TransferPolicy):
        return ()
    return tuple((t.id, t.label) for t in TENURES if t.id in pinned.rules.tenures)


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
        scores = session.execute(
            select(AssessorScore, User.name).join(User, User.id == AssessorScore.assessor_id).where(
                AssessorScore.case_id == case.id
            ).order_by(User.name)
        ).all()  # fmt: skip
        moderated = {
            m.criterion: m for m in session.scalars(select(ModeratedScore).where(ModeratedScore.case_id == case.id))
        }
        conflicts = session.scalars(
            select(AssessorConflict.assessor_id).where(AssessorConflict.case_id == case.id)
        ).all()
        criteria = []
        for criterion in policy.rubric.criteria:
            given = tuple(
                AssessorRow(name, row.score, row.comment, row.assessor_id == actor.user_id)
                for row, name in scores
                if row.criterion == criterion.id
            )
            agreed = moderated.get(criterion.id)
            criteria.append(
                CriterionSheet(
                    criterion.id, criterion.label, criterion.weight, criterion.max_score, criterion.gate,
                    criterion.pass_mark, criterion.guidance, given, suggested_moderation([g.score for g in given]),
                    agreed.score if agreed else None, agreed.reason if agreed else "",
                )
            )  # fmt: skip
        try:
            scored: ScoreResult | None = result(policy.rubric, {k: m.score for k, m in moderated.items()})
            missing: tuple[str, ...] = ()
        except IncompleteScores as incomplete:
            scored, missing = None, incomplete.missing
        defn = registry.get(case.workflow, case.workflow_version)
        return ScoringSheet(
            case.id, case.reference, case.asset_id, _asset_name(session, case), _group_name(session, case),
            defn.state(case.state).label, case.state == "panel_assessment", pinned.label,
            policy.rubric.pass_threshold, tuple(criteria), actor.user_id in conflicts, len(conflicts), scored, missing,
        )  # fmt: skip


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
            ((defn.field_label(name) or name).capitalize(), str(case.facts[name]))
            for name in _EOI_ANSWERS
            if case.facts.get(name)
        )
        return EoiSheet(
            case.id, case.reference, case.version, _asset_name(session, case), _group_name(session, case),
            defn.state(case.state).label, case.state == "eoi_submitted", pinned.label, policy.eoi_criteria, answers,
            tuple(case.facts.get("eoi_assessment") or ()),
        )  # fmt: skip


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
        rows = []
        for case in applications:
            defn = registry.get(case.workflow, case.workflow_version)
            placed = standing[case.id].ranked
            rows.append(
                ComparedApplication(
                    case.reference, _group_name(session, case), defn.state(case.state).label,
                    case.facts.get("tenure") or case.facts.get("tenure_sought"), standing[case.id].result,
                    placed.rank if placed and placed.result.recommend else None,
                    bool(placed and placed.result.recommend and placed.tied), defn.state(case.state).terminal,
                )
            )  # fmt: skip
        rows.sort(key=_compared_order)
        return Comparison(asset.id, asset.name, asset.address, tuple(sorted(labels)), tuple(rows))


def _compared_order(row: ComparedApplication) -> tuple[bool, bool, bool, int, Decimal, str]:
    score = row.result.weighted_percent if row.result else Decimal(0)
    return (row.closed, row.result is None, not row.passes, row.rank or 0, -score, row.reference)


@dataclass(frozen=True)
class ServiceOption:
    id: str
    name: str
    window: str  # "1 March to 30 April each year", or "at any time"


def challenge_services(db: Database, council_code: str, on: date) -> tuple[str, tuple[ServiceOption, ...]]:
    """The council's policy title and the services it has opened to challenge, with their windows."""
    with db.reader() as session:
        council = session.scalars(select(Council).where(Council.code == council_code.upper())).first()
        if council is None:
            raise NotFound(f"There is no council with the code {council_code!r}")
        pinned = policies.current(session, council.id, challenge.NAME, on)
        if pinned is None or not isinstance(pinned.rules, ChallengePolicy):
            return "", ()
        return pinned.label, tuple(ServiceOption(s.id, s.name, _window_text(s)) for s in pinned.rules.services)


def challenge_councils(db: Database, on: date) -> list[tuple[str, str]]:
    """English councils that have published which services are open to challenge."""
    with db.reader() as session:
        rows = session.execute(
            select(Council.code, Council.name).join(Policy, Policy.council_id == Council.id).where(
                Policy.workflow == challenge.NAME, Policy.effective_from <= on, Council.nation == "england"
            ).distinct().order_by(Council.name)
        ).all()  # fmt: skip
        return [(code, name) for code, name in rows]


def _window_text(service: ServiceWindow) -> str:
    if service.opens is None or service.closes is None:
        return "at any time"
    opens, closes = date(2024, *service.opens), date(2024, *service.closes)
    return f"{opens:%-d %B} to {closes:%-d %B} each year"


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


@dataclass(frozen=True)
class PolicyDetail:
    pinned: policies.PinnedPolicy
    document: dict[str, object]


def policy_detail(db: Database, actor: Actor, policy_id: uuid.UUID) -> PolicyDetail:
    """One version of the actor's council's policies: parsed, and as the document it was published from."""
    with db.reader() as session:
        row = session.get(Policy, policy_id)
        if row is None or row.council_id != actor.council_id:
            raise NotFound("There is no such policy version for your council")
        return PolicyDetail(policies.get(session, row.id), dict(row.document))


def latest_document(db: Database, actor: Actor, workflow: str) -> dict[str, object] | None:
    """The newest published version's document, to start the next version from."""
    with db.reader() as session:
        row = session.scalars(
            select(Policy)
            .where(Policy.council_id == actor.council_id, Policy.workflow == workflow)
            .order_by(Policy.version.desc())
        ).first()
        return dict(row.document) if row else None
