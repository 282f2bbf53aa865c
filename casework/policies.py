"""The council policy a case runs under, and a timer's rule, whether the law's or the policy's.

A case records the policy version it started under (`Case.policy_id`),
so publishing a new version changes nothing for running cases.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import Conflict, NotFound
from casework.models import Case, Council, Policy
from casework.repositories import councils
from workflows import periods, registry
from workflows.definition import POLICY
from workflows.periods import Process, Rule
from workflows.policies import KINDS, ChallengePolicy, TransferPolicy, parse_policy

KIND_NAMES = {"asset_transfer": "community asset transfer", "challenge": "community right to challenge"}


@dataclass(frozen=True)
class PinnedPolicy:
    id: uuid.UUID
    council_id: uuid.UUID
    workflow: str
    version: int
    title: str
    effective_from: date
    rules: TransferPolicy | ChallengePolicy
    council_name: str = ""

    @property
    def label(self) -> str:
        """The policy as everyone but the council's admins sees it: an example policy's title and notes ("modelled
        on Norwich City Council's published stages") are for admins choosing a starting point, not for groups,
        owners and officers, who see the council's own policy named."""
        if self.rules.example:
            return f"{self.council_name}'s {KIND_NAMES.get(self.workflow, 'council')} policy (version {self.version})"
        return f"{self.title} (version {self.version})"

    def period_rule(self, key: str, start_event: str = "") -> Rule:
        """The policy's period `key` as an engine rule, explained under the policy's public label."""
        return self.rules.periods[key].rule(self.label, start_event)


_parsed: dict[uuid.UUID, PinnedPolicy] = {}  # a version is never edited, so its parse holds for good


def _pinned(session: Session, row: Policy) -> PinnedPolicy:
    """The row parsed once per process: timers, guards and pages ask for it on every transition."""
    pinned = _parsed.get(row.id)
    if pinned is None:
        pinned = PinnedPolicy(
            row.id, row.council_id, row.workflow, row.version, row.title, row.effective_from,
            parse_policy(row.workflow, row.document), session.get_one(Council, row.council_id).name,
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
    return _pinned(session, row) if row is not None else None


def get(session: Session, policy_id: uuid.UUID) -> PinnedPolicy:
    cached = _parsed.get(policy_id)
    return cached if cached is not None else _pinned(session, session.get_one(Policy, policy_id))


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
    """The rule a timer runs under: a statutory rule by id, or a period from the case's policy.

    A statutory rule comes with all its versions; `periods.compute` uses the one in force on the day the period
    starts (`workflows.periods.versions.in_force` says why that day), so arming, recomputing after a holiday is
    entered and a migration's dry run all pick the same version for the same start.

    A policy's period is explained with the policy's title and version and with what it runs from on this
    case; a rule the engine keeps for a council's own stages (a date the decision-maker set) cites the policy.
    """
    if not rule_id.startswith(POLICY):
        rule = periods.get_rule(rule_id)
        if rule.process is not Process.POLICY:
            return rule
        return replace(rule, basis=f"{of_case(session, case).label}: {rule.basis}")
    pinned = of_case(session, case)
    start = registry.get(case.workflow, case.workflow_version).start_of(rule_id) or ""
    return pinned.period_rule(rule_id.removeprefix(POLICY), start)


def council_period(
    session: Session, council_code: str, key: str, on: date, workflow: str | None = None
) -> tuple[PinnedPolicy, Rule]:
    """The period `key` ("enquiry_reply") of the council's policy in force on `on`, as an engine rule.

    Raises NotFound when the council has no policy in force that sets it, and Conflict when both of its
    policies (asset transfer and the right to challenge) do and `workflow` does not say which one.
    """
    council = councils.get_by_code(session, council_code)
    kinds = [workflow] if workflow else sorted(KINDS)
    found = [p for p in (current(session, council.id, kind, on) for kind in kinds) if p and key in p.rules.periods]
    if not found:
        raise NotFound(f"{council.name} has no policy in force on {on.isoformat()} that sets a period {key!r}")
    if len(found) > 1:
        raise Conflict(
            f"Both of {council.name}'s policies set a period {key!r}: say which with --workflow "
            f"({' or '.join(p.workflow for p in found)})"
        )
    pinned = found[0]
    start = registry.get(pinned.workflow).start_of(POLICY + key) or ""
    # For operators at the command line: the policy as published, an example's own title and notes included.
    return pinned, pinned.rules.periods[key].rule(f"{pinned.title} (version {pinned.version})", start)
