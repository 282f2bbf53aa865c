"""Competing applications for one asset, ranked by what the panel agreed: shared by the approval's checks and
the page that compares them, so both always agree on who ranks where."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import policies
from casework.models import Case, ModeratedScore
from workflows import asset_transfer
from workflows.scoring import IncompleteScores, Ranked, ScoreResult, rank, result

OPEN_STATES = tuple(s.id for s in asset_transfer.DEFINITION.states if not s.terminal)


@dataclass(frozen=True)
class Standing:
    """Where one application stands: its agreed result (None until every criterion is agreed) and its rank."""

    case: Case
    result: ScoreResult | None
    ranked: Ranked | None  # among the open applications whose every criterion is agreed


def applications(session: Session, asset_id: uuid.UUID) -> Sequence[Case]:
    """Every asset transfer application for the asset, oldest first."""
    return session.scalars(
        select(Case).where(Case.asset_id == asset_id, Case.workflow == asset_transfer.NAME).order_by(Case.created_at)
    ).all()


def standings(session: Session, cases: Sequence[Case]) -> dict[uuid.UUID, Standing]:
    """Each application's agreed result under its own pinned policy, and the ranking of the open ones.

    Closed applications (refused, withdrawn, lapsed, ended) keep their result but take no rank: they no
    longer compete. Equal results share a rank, flagged as tied (workflows.scoring.rank).
    """
    results: dict[uuid.UUID, ScoreResult | None] = {}
    for case in cases:
        _, policy = policies.transfer_policy(session, case)
        agreed = {
            m.criterion: m.score
            for m in session.scalars(select(ModeratedScore).where(ModeratedScore.case_id == case.id))
        }
        try:
            results[case.id] = result(policy.rubric, agreed)
        except IncompleteScores:
            results[case.id] = None
    competing = {
        case.reference: scored
        for case in cases
        if case.state in OPEN_STATES and (scored := results[case.id]) is not None
    }
    ranked = {r.reference: r for r in rank(competing)}
    return {case.id: Standing(case, results[case.id], ranked.get(case.reference)) for case in cases}
