"""Where each regime is law: the nations whose councils may run each workflow (STATUTE.md §4.4, §7).

Pure module. The assets of community value regime and the right to bid are English: Part 5 Chapter 3 of the
Localism Act 2011 extends to England and Wales only and has been commenced for England only, and the ACV
Regulations apply to England only (reg.1(2)). The right to challenge covers functions "in relation to England"
(s.81(5)). Scotland's asset transfer requests are made to Scottish relevant authorities (CE(S)A 2015 s.78, Sch.3).
A council elsewhere is refused with the reason and the provision, never run under another nation's law.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGLAND = "england"
SCOTLAND = "scotland"
WALES = "wales"
NATIONS = (ENGLAND, SCOTLAND, WALES)


@dataclass(frozen=True)
class Refusal:
    """Why a regime is not law for a council in one nation, and the provisions that say so."""

    reason: str
    basis: str


_ACV_SCOTLAND = (
    "Part 5 Chapter 3 of the Localism Act 2011 does not extend to Scotland, and the ACV Regulations apply to "
    "England only"
)
_ACV_SCOTLAND_BASIS = "LA 2011 s.239; ACV Regs reg.1(2)"
_ACV_WALES = (
    "Part 5 Chapter 3 of the Localism Act 2011 has been brought into force for England only, and the ACV "
    "Regulations apply to England only"
)
_ACV_WALES_BASIS = "LA 2011 s.240; ACV Regs reg.1(2)"


def _acv(what: str) -> dict[str, Refusal]:
    return {
        SCOTLAND: Refusal(f"{what} is not law in Scotland: {_ACV_SCOTLAND}", _ACV_SCOTLAND_BASIS),
        WALES: Refusal(f"{what} is not in force in Wales: {_ACV_WALES}", _ACV_WALES_BASIS),
    }


_CHALLENGE = "The community right to challenge covers only functions in relation to England"
_ATR = (
    "Asset transfer requests under the Community Empowerment (Scotland) Act 2015 are made to Scottish relevant "
    "authorities only"
)

# Workflow name -> the nations where it is not law, and why. A workflow not named here runs anywhere.
NOT_LAW: dict[str, dict[str, Refusal]] = {
    "acv_listing": _acv("Listing land as an asset of community value"),
    "moratorium": _acv("The community right to bid (the disposal moratorium)"),
    "compensation": _acv("Compensation for the listing of an asset of community value"),
    "challenge": {
        SCOTLAND: Refusal(f"{_CHALLENGE}: it is not law in Scotland", "LA 2011 s.81(5)"),
        WALES: Refusal(f"{_CHALLENGE}: it is not in force in Wales", "LA 2011 s.81(5)"),
    },
    "scotland_atr": {
        ENGLAND: Refusal(f"{_ATR}: it is not law in England", "CE(S)A 2015 s.78, Sch.3"),
        WALES: Refusal(f"{_ATR}: it is not law in Wales", "CE(S)A 2015 s.78, Sch.3"),
    },
}


def refusal(workflow: str, nation: str) -> Refusal | None:
    """Why `workflow` may not run for a council in `nation`, or None where it is law there."""
    return NOT_LAW.get(workflow, {}).get(nation)
