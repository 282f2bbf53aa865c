"""The kinds of policy a council publishes, the periods each sets, and from when a version of one may apply."""

from __future__ import annotations

from datetime import date

from workflows.periods import long_date
from workflows.periods.commencements import ENGLAND_CAT, ENGLAND_CHALLENGE, Commencement
from workflows.policies.challenge import ChallengePolicy
from workflows.policies.transfer import TransferPolicy

Policy = TransferPolicy | ChallengePolicy

TRANSFER_PERIODS = (
    "enquiry_reply",
    "eoi_window",
    "eoi_assessment",
    "business_case",
    "assessment",
    "decision",
    "completion",
    "annual_review",
)
CHALLENGE_PERIODS = ("decision", "procurement_earliest", "procurement_latest")
KINDS = {"asset_transfer": TRANSFER_PERIODS, "challenge": CHALLENGE_PERIODS}
# The regime each kind of policy runs a process under: no version can apply to cases before it began.
COMMENCED: dict[str, Commencement] = {"asset_transfer": ENGLAND_CAT, "challenge": ENGLAND_CHALLENGE}


def first_day_refusal(workflow: str, first_day: date, follows: tuple[int, date] | None) -> str | None:
    """Why `first_day` cannot be the first day new cases use a new version of the policy, or None if it can.

    Not before the regime began (a policy for the right to challenge from 1900 would be a typing slip that no
    case could ever be under), and not before the first day of the version it follows (`follows`: its number
    and first day), or which version applies to a case would depend on which was published last.
    """
    commenced = COMMENCED[workflow]
    if first_day < commenced.on:
        return (
            f"The first day new cases use it, {long_date(first_day)}, cannot be before {long_date(commenced.on)}, "
            f"when {commenced.regime} commenced ({commenced.basis})"
        )
    if follows is not None and first_day < follows[1]:
        return (
            f"The first day new cases use it, {long_date(first_day)}, cannot be before "
            f"{long_date(follows[1])}, the first day of version {follows[0]}, which it follows"
        )
    return None


# Periods a policy may set but need not: the law names no length for them.
OPTIONAL_PERIODS = {
    "asset_transfer": ("open_space_objections",),  # the least time for objections after the second notice
    "challenge": (),
}
