"""Community asset transfer (England): the assets offered, applications for them, and their expressions of interest.

Each public function is one transaction. An application is a case on one of
the council's assets, pinned to the council's asset transfer policy in force
the day it starts; several groups may apply for one asset and are compared
on their moderated scores (the panel: `casework.services.transfer_panel`;
the comparison: `casework.queries.transfers`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from casework import assets, clock, policies
from casework.actors import SYSTEM, Actor
from casework.assets import AssetDetails, PartyDetails
from casework.db import Database
from casework.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from casework.facts import transfer as transfer_facts
from casework.models import Asset, Council, Organisation
from casework.permissions import check_acts_for_group, check_staff_of
from casework.repositories import councils
from casework.transitions import locks
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from workflows import asset_transfer
from workflows.policies import TENURES, TransferPolicy
from workflows.roles import STAFF_ROLES


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
        council, asset, organisation = _offered(session, actor, asset_id, organisation_id)
        policy = _enquiry_policy(session, council, tenure_sought, clock.london_date(now))
        case = open_case(
            session,
            council,
            asset_transfer.NAME,
            actor,
            now=now,
            asset_id=asset.id,
            organisation_id=organisation.id,
            policy_id=policy.id,
        )
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


def _offered(
    session: Session, actor: Actor, asset_id: uuid.UUID, organisation_id: uuid.UUID
) -> tuple[Council, Asset, Organisation]:
    """The asset and the group applying for it, if the actor may record the application and the asset takes one.

    Only an English council's asset offered for transfer takes applications: Scotland has its own Act.
    """
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
    return council, asset, organisation


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
        keep = {"eoi_assessment": rows}
        return apply(session, case, trigger, actor, data, now=now, expected_version=expected_version, keep=keep)
