"""Which version of a period rule applies to a period, and the refusal when none was in force.

A rule carries its versions (`Rule.versions`, oldest first), each in force from
its commencement. `in_force` picks one by the day the period starts.
"""

from __future__ import annotations

from datetime import date

from workflows.errors import RuleNotInForce
from workflows.periods.arithmetic import ONE_DAY
from workflows.periods.compute import long_date
from workflows.periods.rule import Rule


def in_force(rule: Rule, start: date) -> Rule:
    """The version of `rule` in force on `start`, the day the period starts; raises RuleNotInForce if none was.

    Chosen by the period's own start date, not by the day its case opened, because:
    - the start is the event the law attaches the period to (the day the council received the owner's
      notice, s.95(6)), and STATUTE.md §8 asks that a case keep "the rules that applied when its trigger
      event happened"; a case's later periods start with later events, and each gets the law of its day;
    - it needs nothing but the rule and the date, so the CLI, the API, the date calculator and a case's
      deadline all give one answer for one start, and recomputing a deadline (a holiday entered, a
      migration's dry run) picks the same version again;
    - how a case moves to a new process as a whole is its workflow version's business, pinned on the case;
      where transitional provisions keep old periods for running cases, that version names the old rule.
    """
    version = rule  # walked back from the newest: no list is built, as this runs for every deadline armed
    while version.replaces is not None and version.effective_from is not None and start < version.effective_from:
        version = version.replaces
    commenced = version.in_force
    if commenced is not None and start < commenced.on:  # before the first version: the rule did not yet exist
        why = f"it came into force on {long_date(commenced.on)}, when {commenced.regime} commenced"
        raise _refusal(version, start, why, in_force_from=commenced.on)
    if version.effective_to is not None and start > version.effective_to:
        why = f"it ceased to have effect after {long_date(version.effective_to)}"
        raise _refusal(version, start, why, in_force_from=None)
    return version


def which_applies(rule: Rule, version: Rule) -> str:
    """The explanation's step saying which version was used, for a rule that has had more than one ("" if not)."""
    if rule.replaces is None:
        return ""
    later = next((v for v in rule.versions if v.version == version.version + 1), None)
    ends = version.effective_to or (later.effective_from - ONE_DAY if later and later.effective_from else None)
    began = f" from {long_date(version.effective_from)}" if version.effective_from else ""
    until = f" to {long_date(ends)}" if ends else ""
    applies = f"Version {version.version} of the rule applies"
    return f"{applies}, the one in force on the day the period starts:{began}{until}."


def _refusal(version: Rule, start: date, why: str, *, in_force_from: date | None) -> RuleNotInForce:
    """The same sentence on every surface, citing where the commencement is said (else the rule's own basis)."""
    return RuleNotInForce(
        f"The period {version.id} ({version.title}) cannot run from {long_date(start)}: {why}",
        rule_id=version.id,
        start=start,
        in_force_from=in_force_from,
        basis=version.in_force.basis if version.in_force is not None else version.basis,
    )
