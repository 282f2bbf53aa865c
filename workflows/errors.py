"""Why the workflow refused: typed, with sentences a user can act on.

Every refusal carries `reasons`, so a page, the API and the CLI can all say
why without knowing which subclass they caught. A refusal under a rule of law
cites it: each reason ends with the provision it rests on, and `citations`
lists them, so whoever shows the sentence shows its rule with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date


def cited(reason: str, basis: str) -> str:
    """`reason` ending with the provision it rests on, unless it already names it."""
    if not basis or basis in reason:
        return reason
    return f"{reason} ({basis})"


class WorkflowRefusal(Exception):
    """The workflow will not let this happen; nothing was written."""

    code = "refused"

    def __init__(
        self, *reasons: str, citations: Iterable[str] = (), on_fields: Mapping[str, tuple[str, ...]] | None = None
    ) -> None:
        super().__init__("; ".join(reasons))
        self.reasons: tuple[str, ...] = reasons
        self.citations: tuple[str, ...] = tuple(dict.fromkeys(c for c in citations if c))
        # The reasons that are about one supplied field, by field: a form shows each beside its field.
        self.on_fields: dict[str, tuple[str, ...]] = dict(on_fields or {})


class UnknownWorkflow(WorkflowRefusal):
    code = "unknown-workflow"


class UnknownTrigger(WorkflowRefusal):
    code = "unknown-action"


class TransitionNotAllowed(WorkflowRefusal):
    """No transition for this trigger leaves the case's current state."""

    code = "not-allowed-in-this-state"


class RoleNotAllowed(WorkflowRefusal):
    """The transition exists, but not for the actor's role."""

    code = "role-not-allowed"


class GuardFailed(WorkflowRefusal):
    """The transition exists and the role may use it, but a statutory condition is not met."""

    code = "condition-not-met"


class InvalidData(WorkflowRefusal):
    """The data supplied with a trigger is missing or malformed; `errors` maps field to message."""

    code = "invalid-data"

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(*errors.values())
        self.errors: dict[str, str] = dict(errors)


class RuleNotInForce(WorkflowRefusal):
    """A period was asked for from a day its rule was not in force: before the law that sets it commenced.

    Refused, not computed: a date worked out under a law that did not yet exist is no date at all, and
    `casework deadline moratorium.full 2011-01-01` once answered 30 June 2011. The reason names the day
    the rule came into force and cites where that is said, so the CLI, the API and the pages all say it.
    """

    code = "rule-not-in-force"

    def __init__(self, reason: str, *, rule_id: str, start: date, in_force_from: date | None, basis: str) -> None:
        super().__init__(cited(reason, basis), citations=(basis,))
        self.rule_id = rule_id
        self.start = start
        self.in_force_from = in_force_from  # the first day a period under the rule may start, if there is one


class InvalidDefinition(Exception):
    """A workflow definition contradicts itself: a programming error, caught at import time."""
