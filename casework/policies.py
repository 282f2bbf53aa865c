"""The council policy a case runs under, and a timer's rule, whether the law's or the policy's.

A case records the policy version it started under (`Case.policy_id`),
so publishing a new version changes nothing for running cases.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import Conflict
from casework.models import Case, Policy
from workflows import periods
from workflows.definition import POLICY
from workflows.periods import Rule
from workflows.policies import ChallengePolicy, TransferPolicy, parse_policy


@dataclass(frozen=True)
class PinnedPolicy:
    id: uuid.UUID
    council_id: uuid.UUID
    workflow: str
    version: int
    title: str
    effective_from: date
    rules: TransferPolicy | ChallengePolicy

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"


_parsed: dict[uuid.UUID, PinnedPolicy] = {}  # a version is never edited, so its parse holds for good


def _pinned(row: Policy) -> PinnedPolicy:
    """The row parsed once per process: timers, guards and pages ask for it on every transition."""
    pinned = _parsed.get(row.id)
    if pinned is None:
        pinned = PinnedPolicy(
            row.id, row.council_id, row.workflow, row.version, row.title, row.effective_from,
            parse_policy(row.workflow, row.document),
        )  # fmt: skip
        _parsed[row.id] = pinned
    return pinned


def current(session: Session, council_id: uuid.UUID, workflow: str, on: date) -> PinnedPolicy | None:
    """The newest version in force on `on`: what a case starting that day runs under."""
    row = session.scalars(
        select(Policy)
        .where(Policy.council_id == council_id, Policy.workflow == workflow, Policy.effective_from <= on)
        .order_by(Policy.version.desc())
    ).first()
    return _pinned(row) if row is not None else None


def get(session: Session, policy_id: uuid.UUID) -> PinnedPolicy:
    cached = _parsed.get(policy_id)
    return cached if cached is not None else _pinned(session.get_one(Policy, policy_id))


def of_case(session: Session, case: Case) -> PinnedPolicy:
    if case.policy_id is None:
        raise Conflict(f"Case {case.reference} has no council policy recorded")
    return get(session, case.policy_id)


def transfer_policy(session: Session, case: Case) -> tuple[PinnedPolicy, TransferPolicy]:
    pinned = of_case(session, case)
    if not isinstance(pinned.rules, TransferPolicy):
        raise Conflict(f"Case {case.reference} is not under an asset transfer policy")
    return pinned, pinned.rules


def rule_for(session: Session, case: Case, rule_id: str) -> Rule:
    """The rule a timer runs under: a statutory rule by id, or a period from the case's policy."""
    if not rule_id.startswith(POLICY):
        return periods.get_rule(rule_id)
    pinned = of_case(session, case)
    return pinned.rules.periods[rule_id.removeprefix(POLICY)].rule(pinned.label)
