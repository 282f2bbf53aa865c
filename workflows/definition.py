"""The shape of a workflow definition: states, transitions, guards, fields, timers, notices.

A definition is plain frozen data, checked for consistency when it is built (workflows.checks),
so a typo in a state name fails at import time and not in front of an officer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from workflows.checks import refuse_inconsistent
from workflows.party_words import PartyWords
from workflows.periods import RULES
from workflows.roles import GroupReach, Party, Role

SAME = "="  # destination meaning "stay in the source state" (a reflexive transition)
POLICY = "policy."  # a timer rule starting with this is a period the council's own policy sets, not the law


def reminder_key(workflow: str, timer: str) -> str:
    """Where a council's reminder days for one workflow's timer are kept: `acv_listing__decision_due`.

    Timer names repeat across workflows ("decision_due" is both the nomination's and the challenge's), so the
    workflow is part of the key; double underscores because workflow and timer names use single ones.
    """
    return f"{workflow}__{timer}"


@dataclass(frozen=True)
class GuardContext:
    """Facts a guard may look at, gathered by the service from the locked case and the actor."""

    role: Role
    today: date
    actor_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)  # supplied with this trigger, already parsed
    facts: Mapping[str, Any] = field(default_factory=dict)  # recorded on the case, dates as `date`
    deadlines: Mapping[str, date] = field(default_factory=dict)  # due date of each of the case's timers


@dataclass(frozen=True)
class Guard:
    """A named pure predicate, with the sentence shown when it refuses."""

    name: str
    check: Callable[[GuardContext], bool]
    refusal: str | Callable[[GuardContext], str]
    basis: str = ""
    field: str = ""  # the supplied field the refusal is about, if one: a form shows the refusal beside it

    def explain(self, ctx: GuardContext) -> str:
        return self.refusal(ctx) if callable(self.refusal) else self.refusal


class FieldKind(StrEnum):
    DATE = "date"
    TIME = "time"  # a time of day in England, where a rule has a cut-off (GRC Rules r.12(1): 5pm)
    TEXT = "text"
    BOOL = "bool"
    CHOICE = "choice"
    MONEY = "money"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Field:
    """A piece of data the actor supplies with a trigger; recorded on the case under `name`."""

    name: str
    kind: FieldKind
    label: str  # a noun phrase: "date the council received the request"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    allow_future: bool = False
    max_length: int = 5000
    hint: str = ""
    stamped: bool = False  # the day it reaches the council: when a group or owner acts, it is today, not theirs to set
    staff_only: bool = False  # the council's own answer (a waiver, a choice to consider): never asked of a party


@dataclass(frozen=True)
class Notice:
    """A notice a transition sends: with which template, to whom, on what authority (STATUTE.md §3.7)."""

    template: str
    parties: tuple[Party, ...]
    basis: str
    title: str


@dataclass(frozen=True, kw_only=True)
class Transition:
    """One row of a process's table: who may move a case from `source` to `dest`, on what authority, and all it means.

    Everything the transition does is named here, so a change of law touches one row: the data it asks for, the
    guards that may refuse it, the notices it sends, and what else it changes (`effects`) or needs to know
    (`facts`), each by a name casework registers.
    """

    trigger: str
    source: str | tuple[str, ...]
    dest: str
    who: frozenset[Role]
    label: str
    basis: str
    statute: str = ""  # its row in STATUTE.md (M4): where a reader checks this transition against the law
    fields: tuple[Field, ...] = ()
    guards: tuple[Guard, ...] = ()
    notices: tuple[Notice, ...] = ()
    groups: GroupReach = GroupReach.OWN  # which community groups may take it on a case that is not their own
    party_words: PartyWords | None = None  # what the owner or group reads on its form, in their own words
    # A page of its own the step is taken on, by name, where the generic form cannot gather what casework needs
    # (a nomination's land and contents); the web keeps a page for each name, and a test checks every name.
    page: str = ""
    reported_as: str = ""  # the column of the council's monthly report the step counts in
    decision: bool = False  # the actor takes part in the decision (a later reviewer must not have)
    tasks: tuple[str, ...] = ()  # statutory follow-up steps the council must take
    # What else the transition changes, in the same transaction (the register, related cases), by name: casework
    # registers each name's implementation (casework.effects.EFFECTS), and a test checks every name is known.
    effects: tuple[str, ...] = ()
    # Facts its guards need that only the database knows, by name: casework gathers each before firing
    # (casework.facts.registry.FACTS), and the same test checks every name is known.
    facts: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    @property
    def reflexive(self) -> bool:
        """The case stays where it is (dest is SAME)."""
        return self.dest == SAME

    def destination(self, source: str) -> str:
        return source if self.reflexive else self.dest


@dataclass(frozen=True)
class State:
    """A stage of a case. `terminal`: the case is over and no trigger leaves it. `dormant`: nothing is
    awaited and no timer runs, so the case is closed (out of work queues), but a late step the law allows
    (a review or appeal out of time) can still be recorded, which opens it again."""

    id: str
    label: str
    terminal: bool = False
    public: bool = False  # shown on the public register
    description: str = ""
    dormant: bool = False

    @property
    def closed(self) -> bool:
        return self.terminal or self.dormant


@dataclass(frozen=True)
class TimerVariant:
    """Another rule and start date for a timer, used when a recorded fact is present and not false.

    For example LA 2011 s.84(7): 30 days beginning with receipt, unless the
    expression of interest came in a window, then 30 days after the window closes.
    """

    when: str
    rule: str
    start: str


@dataclass(frozen=True)
class Timer:
    """A deadline armed on entering `active_in` (or by `armed_by`) and cancelled on leaving it.

    At expiry the sweeper fires `on_expiry` as the system, or, with
    `escalate`, marks the case overdue for the officer; with neither, the
    window simply closes (recorded, nothing else happens).
    """

    name: str
    rule: str
    start: str  # the recorded fact (a date field) the period runs from
    active_in: frozenset[str]
    label: str
    armed_by: frozenset[str] = frozenset()
    on_expiry: str | None = None
    escalate: bool = False
    reminders: tuple[int, ...] = ()  # days before the due date
    remind: tuple[Party, ...] = ()
    public: bool = False
    variant: TimerVariant | None = None

    @property
    def runs(self) -> tuple[tuple[str, str], ...]:
        """Each rule this timer may run under, with the date field it runs from: its own, then its variant's."""
        if self.variant is None:
            return ((self.rule, self.start),)
        return ((self.rule, self.start), (self.variant.rule, self.variant.start))

    def rule_and_start(self, facts: Mapping[str, Any]) -> tuple[str, str]:
        """The rule this timer runs under for a case with these facts, and the date field it runs from."""
        if self.variant is not None and facts.get(self.variant.when):
            return self.variant.rule, self.variant.start
        return self.rule, self.start

    @property
    def expiry_kind(self) -> str:
        if self.on_expiry:
            return "fire"
        return "escalate" if self.escalate else "window"


@dataclass(frozen=True)
class Definition:
    name: str
    version: int
    effective_from: date
    title: str
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    timers: tuple[Timer, ...] = ()
    reference_prefix: str = "CASE"
    policy_periods: tuple[str, ...] = ()  # keys (without "policy.") a council policy must give lengths for
    fact_dates: tuple[str, ...] = ()  # dates the service works out and records (not asked of anyone)
    # Lookups the engine makes on every trigger, built once in __post_init__: a definition never changes.
    _states: dict[str, State] = field(init=False, repr=False, compare=False)
    _triggers: frozenset[str] = field(init=False, repr=False, compare=False)
    _timers: dict[str, Timer] = field(init=False, repr=False, compare=False)
    _moves: dict[tuple[str, str], Transition] = field(init=False, repr=False, compare=False)
    _date_fields: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_states", {state.id: state for state in self.states})
        object.__setattr__(self, "_triggers", frozenset(t.trigger for t in self.transitions))
        object.__setattr__(self, "_timers", {timer.name: timer for timer in self.timers})
        moves: dict[tuple[str, str], Transition] = {}
        for transition in self.transitions:
            for source in transition.sources:
                moves.setdefault((source, transition.trigger), transition)
        object.__setattr__(self, "_moves", moves)
        asked = {f.name for t in self.transitions for f in t.fields if f.kind is FieldKind.DATE}
        object.__setattr__(self, "_date_fields", frozenset(asked | set(self.fact_dates)))
        refuse_inconsistent(self)

    @property
    def key(self) -> tuple[str, int]:
        return (self.name, self.version)

    def state(self, state_id: str) -> State:
        return self._states[state_id]

    @property
    def state_ids(self) -> frozenset[str]:
        return frozenset(self._states)

    @property
    def triggers(self) -> frozenset[str]:
        return self._triggers

    def transition_from(self, source: str, trigger: str) -> Transition | None:
        return self._moves.get((source, trigger))

    def timer(self, name: str) -> Timer:
        return self._timers[name]

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every notice the process sends, once each, in the order its transitions name them."""
        return tuple(dict.fromkeys(notice for t in self.transitions for notice in t.notices))

    def field_label(self, name: str) -> str | None:
        """The label of the field `name` where a transition asks for it ("date the council received the request")."""
        return next((f.label for t in self.transitions for f in t.fields if f.name == name), None)

    def start_of(self, rule_id: str) -> str | None:
        """What a timer running under `rule_id` counts from, as words: the label of its start date."""
        for timer in self.timers:
            for rule, start in timer.runs:
                label = self.field_label(start) if rule == rule_id else None
                if label:
                    return f"the {label}"
        return None

    def knows_rule(self, rule: str) -> bool:
        """A period this process's policy gives (`policy.` and a key it names), or a rule of the law."""
        return rule.removeprefix(POLICY) in self.policy_periods if rule.startswith(POLICY) else rule in RULES

    def date_fields(self) -> frozenset[str]:
        """Names of every date field, so stored facts can be turned back into dates."""
        return self._date_fields
