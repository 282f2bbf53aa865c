"""What else a transition changes, in the same transaction: the register and related cases.

One asset runs many clocks: when a listing ends, any moratorium on it lapses (s.95(1) bites only on listed land);
when listed land is sold, the listing is amended or removed (ACV Regs reg.2(b)). An effect writes the register itself
and returns the transitions it causes on other cases as commands (casework.transitions.commands), which
casework.transitions.apply applies in order: effects never call the writer. Locks follow casework.transitions.locks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from casework.actors import SYSTEM, Actor
from casework.clock import london_date
from casework.facts import listings
from casework.models import Case, Organisation
from casework.models.register import LISTED, UNSUCCESSFUL
from casework.register import entries as register
from casework.repositories import cases as case_repo
from casework.repositories import councils as council_repo
from casework.transitions import locks
from casework.transitions.commands import Command
from casework.transitions.facts import add_facts
from casework.transitions.opening import open_case
from workflows import acv_listing, asset_transfer, moratorium, periods
from workflows.checklists import exemption
from workflows.definition import Definition, Transition
from workflows.moratorium import stages
from workflows.periods import long_date
from workflows.policies import TENURES

Commands = list[Command]  # the transitions an effect causes on other cases, in the order they apply
Effect = Callable[[Session, Case, Mapping[str, Any], datetime, Actor], Commands]  # `Actor`: who acts, for follow-ons


def after_transition(
    session: Session, case: Case, transition: Transition, data: Mapping[str, Any], now: datetime, actor: Actor
) -> Sequence[Command]:
    """Do what the transition names beyond its case, in order; return the transitions it causes on others."""
    commands: Commands = []
    for name in transition.effects:
        commands += EFFECTS[name](session, case, data, now, actor)
    return commands


def unknown_effects(defn: Definition) -> list[str]:
    """The effects `defn`'s transitions name that casework does not implement (a typo, or one not written yet)."""
    return sorted({name for t in defn.transitions for name in t.effects if name not in EFFECTS})


# Listing --------------------------------------------------------------------------------------------------------


def _listed(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    register.listed(session, case, data["decided_on"], data["entry_date"], now)
    return []


def _rejected(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    register.unsuccessful(session, case, data["decided_on"], data["reasons"], now)
    return []


def _status(text: str, field: str) -> Effect:
    def effect(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
        register.set_status(session, case, f"{text} on {long_date(data[field])}", now)
        return []

    return effect


def _ended(reason: str, field: str | None) -> Effect:
    """The listing ends: close the entry and lapse any moratorium running on the land."""

    def effect(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
        when = data[field] if field else _expiry_date(session, case)
        register.end(session, case, LISTED, when, reason, now)
        return _lapse_moratoria(session, case)

    return effect


def _expiry_date(session: Session, case: Case) -> date:
    """The last day of the listing: the due date of its 5-year deadline."""
    expiry = {d.timer: d.due_date for d in case_repo.deadlines_of(session, case.id)}.get("listing_expiry")
    return expiry or periods.compute("acv.listing_expiry", date.fromisoformat(case.facts["entry_date"])).due


def _removed_on_review(session: Session, case: Case, data: Mapping[str, Any], now: datetime, actor: Actor) -> Commands:
    """s.92(4): the entry is removed and the nomination becomes unsuccessful, reasons and all."""
    lapsed = _ended("Removed on review (s.92(4))", "review_decided_on")(session, case, data, now, actor)
    register.unsuccessful(session, case, data["review_decided_on"], data["reasons"], now)
    return lapsed


def _amended(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    note = f"Amended on {long_date(data['disposal_entered_on'])} after a disposal of part: {data['disposal_details']}"
    register.add_note(session, case, note, now)
    return []


def _unsuccessful_entry_removed(
    session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor
) -> Commands:
    register.end(session, case, UNSUCCESSFUL, london_date(now), "Removed after five years (s.93(3)(a))", now)
    return []


def _lapse_moratoria(session: Session, listing: Case) -> Commands:
    if listing.asset_id is None:
        return []
    cycles = locks.lock_cases_of_asset(session, listing.asset_id, moratorium.NAME, listings.running_cycle_states())
    return [Command(cycle, "listing_ended", SYSTEM, event_data={"listing": listing.reference}) for cycle in cycles]


# Moratorium -----------------------------------------------------------------------------------------------------


def _listing_of(session: Session, case: Case) -> Case | None:
    return case_repo.linked(session, case.id, "listing")


def _notice_received(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    listing = _listing_of(session, case)
    if listing is not None:
        register.moratorium_started(session, listing, case, data["notice_received_on"], now)
    return []


def _bidder(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    groups = list(case.facts.get("interested_groups") or [])
    if data["cig_name"] not in groups:
        groups.append(data["cig_name"])
    add_facts(session, case, {"interested_groups": groups})
    listing = _listing_of(session, case)
    if listing is not None:
        register.interested_group(session, listing, data["cig_name"], now)
    return []


def _sold(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    """reg.2(b): a relevant disposal removes the land (or the part sold) from the list."""
    listing = _listing_of(session, case)
    if listing is None or listing.state not in acv_listing.LISTED_STATES:
        return []
    listing = locks.lock_case(session, listing.id)  # already locked by the service: lock order holds
    trigger = "remove_after_disposal" if data["whole_or_part"] == "whole" else "amend_after_disposal"
    details = f"Sold to {data['acquirer_name']} (case {case.reference})"
    raw = {"disposal_entered_on": data["disposal_entered_on"], "disposal_details": details}
    return [Command(listing, trigger, SYSTEM, raw, event_data={"moratorium": case.reference})]


def _exempt(session: Session, case: Case, data: Mapping[str, Any], now: datetime, _actor: Actor) -> Commands:
    listing = _listing_of(session, case)
    if listing is not None:
        item = exemption(data["exemption"])
        record = {
            "date": data["disposal_entered_on"].isoformat(),
            "exemption": item.text,
            "basis": item.basis,
            "details": data["disposal_details"],
        }
        register.exempt_disposal(session, listing, record, now)
    return []


# Asset transfer (England) ---------------------------------------------------------------------------------------


def _council_gives_notice(
    session: Session, case: Case, data: Mapping[str, Any], now: datetime, actor: Actor
) -> Commands:
    """The council disposing of its own listed land to a body that is not a CIG notifies itself (s.95(2)).

    Where a cycle is already running on the land (the council's or an owner's earlier notice), no new
    notice can be given (s.95(4)): the transfer is linked to that cycle, waits while its moratorium lasts and
    may complete within its protected period. Otherwise the moratorium runs as a new case, linked both ways;
    completion waits for it.
    """
    if not case.facts.get("moratorium_required") or case.asset_id is None:
        return []
    listing = listings.current_listing(session, case.asset_id)
    if listing is None:
        return []
    running = listings.running_cycle(session, case.asset_id, data.get("council_notice_on") or london_date(now))
    if running is not None:
        cycle, where = running
        case_repo.add_link(session, case, cycle, "moratorium")
        facts = {"moratorium_case_id": str(cycle.id), "moratorium_reference": cycle.reference}
        add_facts(session, case, {**facts, "moratorium_basis": f"No new notice: {where}"})
        return []
    received = data.get("council_notice_on")
    return [] if received is None else _open_cycle(session, case, listing, received, now, actor)


def _open_cycle(session: Session, case: Case, listing: Case, received: date, now: datetime, actor: Actor) -> Commands:
    """Open the moratorium the council's own notice starts, linked both ways; the notice is given on it next."""
    assert case.asset_id is not None  # noqa: S101 - only a transfer of an asset reaches here
    council = council_repo.get(session, case.council_id)
    cycle = open_case(session, council, moratorium.NAME, actor, now=now, asset_id=case.asset_id)
    case_repo.add_link(session, cycle, listing, "listing")
    case_repo.add_link(session, case, cycle, "moratorium")
    case_repo.add_link(session, case, listing, "listing")  # later steps lock the listing first, as everywhere
    notice = {
        "notice_received_on": received,
        "notice_method": "hand",
        "disposal_type": "freehold" if case.facts.get("tenure") == "freehold" else "qualifying_lease",
        "vacant_possession": True,
    }
    facts = {"asset_listed": True, "protected_period_running": False, "protected_period_running_reasons": []}
    add_facts(session, case, {"moratorium_case_id": str(cycle.id), "moratorium_reference": cycle.reference})
    return [Command(cycle, "give_notice", actor, notice, extra_facts=facts)]


def _later_notice(session: Session, case: Case, data: Mapping[str, Any], now: datetime, actor: Actor) -> Commands:
    """A notice recorded after the steps began (the land listed since, or an earlier protected period over)."""
    listing = listings.current_listing(session, case.asset_id) if case.asset_id else None
    return [] if listing is None else _open_cycle(session, case, listing, data["council_notice_on"], now, actor)


def _transferred(session: Session, case: Case, data: Mapping[str, Any], now: datetime, actor: Actor) -> Commands:
    """Completion is the disposal the moratorium was waiting for: record it there too (reg.2(b) then follows).

    A disposal to a community interest group may be made at any time in the cycle and closes it (reg.13(1)).
    An exempt disposal leaves the land listed, with the exemption noted on its entry (reg.13(2), Sch.3).
    """
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    name = organisation.name if organisation else "the transferee"
    exemption_id = case.facts.get("moratorium_exemption")
    listing = listings.current_listing(session, case.asset_id) if case.asset_id else None
    if exemption_id and listing is not None:
        item = exemption(str(exemption_id))
        record = {"date": data["completed_on"].isoformat(), "exemption": item.text, "basis": item.basis,
                  "details": f"Transferred to {name} (case {case.reference})"}  # fmt: skip
        register.exempt_disposal(session, listing, record, now)
        return []
    cycle = listings.latest_cycle(session, case.asset_id)
    if cycle is None or not stages.running(defn := listings.definition_of(cycle), cycle.state):
        return []
    sale = {"disposal_entered_on": data["completed_on"], "acquirer_name": name, "whole_or_part": "whole"}
    event = {"asset_transfer": case.reference}
    if case.facts.get("moratorium_required") and stages.owner_free(defn, cycle.state):
        return [Command(locks.lock_case(session, cycle.id), "dispose", actor, sale, event_data=event)]
    if case.facts.get("transferee_is_cig") and _qualifying(case):  # reg.13(1): allowed even mid-moratorium
        sale = {**sale, "acquirer_is_cig": True}
        return [Command(locks.lock_case(session, cycle.id), "dispose_to_cig", actor, sale, event_data=event)]
    return []


def _qualifying(case: Case) -> bool:
    """A freehold, or a lease of 25 years or more: a relevant disposal (LA 2011 s.96)."""
    return any(t.id == case.facts.get("tenure") and t.qualifying_for_moratorium for t in TENURES)


def _approved(session: Session, case: Case, data: Mapping[str, Any], now: datetime, actor: Actor) -> Commands:
    """Approving one application decides what becomes of the others for the asset: refused, or kept in reserve."""
    outcome = data.get("rivals_outcome")
    if outcome is None or case.asset_id is None:
        return []
    rivals = [c for c in case_repo.cases_of_asset(session, case.asset_id, asset_transfer.NAME,
                                                  asset_transfer.BEFORE_DECISION) if c.id != case.id]  # fmt: skip
    when, event = data["decided_on"], {"approved": case.reference}
    if outcome == "refuse":
        reasons = f"The council approved {case.reference} in principle on {long_date(when)}: {data['reasons']}"
        trigger, raw = "close_as_rival", {"decided_on": when, "reasons": reasons}
    else:
        trigger, raw = "note_rival_approved", {"rival_approved_on": when, "rival_approved": case.reference}
    return [Command(locks.lock_rival(session, rival), trigger, SYSTEM, raw, event_data=event) for rival in rivals]


# Every effect a transition may name (Transition.effects), under its name.
EFFECTS: dict[str, Effect] = {
    # the list of assets of community value (ACV Regs reg.2, Sch.1)
    "enter_on_list": _listed,
    "enter_on_unsuccessful_list": _rejected,
    "note_review_requested": _status("Review requested", "review_request_received_on"),
    "note_listing_upheld": _status("Listing confirmed on review", "review_decided_on"),
    "note_appeal_lodged": _status("Appeal to the First-tier Tribunal lodged", "appeal_lodged_on"),
    "note_appeal_dismissed": _status("Appeal dismissed by the Tribunal", "tribunal_decided_on"),
    "remove_on_review": _removed_on_review,
    "remove_after_appeal": _ended("Removed after a successful appeal (reg.2(c)(i))", "tribunal_decided_on"),
    "remove_no_longer_of_value": _ended("No longer of community value (reg.2(c)(ii))", "decided_on"),
    "remove_after_disposal": _ended("Removed after a relevant disposal (reg.2(b))", "disposal_entered_on"),
    "amend_after_disposal": _amended,
    "remove_after_five_years": _ended("Five years ended (s.87(3))", None),
    "remove_unsuccessful_entry": _unsuccessful_entry_removed,
    # a moratorium's cycle, as the list shows it
    "note_moratorium_on_listing": _notice_received,
    "note_interested_group": _bidder,
    "end_listing_on_sale": _sold,
    "note_exempt_disposal": _exempt,
    # a council's own disposal of listed land
    "council_gives_notice": _council_gives_notice,
    "open_moratorium_on_later_notice": _later_notice,
    "decide_rivals": _approved,
    "record_disposal_on_land": _transferred,
}
