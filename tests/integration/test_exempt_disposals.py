"""An exempt disposal is checked when it is recorded: the exemption by the owner's-notice checklist, the date
against the listing and the disposal cycle (LA 2011 s.95(1), (2), (5); ACV Regs Sch.3 para.4(2))."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.db import Database
from casework.models import Case
from casework.queries import case_summary, register_rows
from casework.services import moratoria
from tests.conftest import T0
from tests.factories import World, list_pub, make_world, owners_notice
from workflows.errors import GuardFailed

pytestmark = pytest.mark.integration
OPTION = "planning_obligation_or_option"
LATER = T0 + timedelta(days=60)


def listed_pub(db: Database) -> tuple[World, uuid.UUID, uuid.UUID]:
    """The pub entered on the list on Friday 20 March 2026: the world, its listing case and its asset."""
    world = make_world(db)
    listing = list_pub(db, world)
    asset_id = case_summary(db, listing).asset_id
    assert asset_id is not None
    return world, listing, asset_id


def cycles(db: Database) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(Case).where(Case.workflow == "moratorium")) or 0


def test_an_option_granted_while_the_land_was_listed_is_not_an_exempt_disposal(db: Database) -> None:
    world, listing, asset_id = listed_pub(db)

    with pytest.raises(GuardFailed) as refused:
        moratoria.record_exempt_disposal(
            db, world.officer, asset_id, disposal_entered_on=date(2026, 5, 1), exemption=OPTION,
            details="Option to buy exercised by Pubco", right_granted_on=date(2026, 4, 1), now=LATER,
        )  # fmt: skip

    assert refused.value.reasons == (
        (
            "The disposal is not exempt: the obligation or right was granted on Wednesday 1 April 2026, when the land "
            "was already listed (it was entered on the list on Friday 20 March 2026). A disposal under it needs the "
            "owner's notice and the moratorium (ACV Regs Sch.3 para.4(2))"
        ),
    )
    assert cycles(db) == 0 and register_rows(db, world.code)[0].exempt_disposals == ()
    assert case_summary(db, listing).state == "listed"


def test_an_option_granted_before_the_listing_is_exempt_and_must_be_dated(db: Database) -> None:
    world, _, asset_id = listed_pub(db)
    answers = {"disposal_entered_on": date(2026, 5, 1), "exemption": OPTION, "details": "Option to buy exercised"}

    with pytest.raises(GuardFailed, match=r"Record the date the planning obligation .*\(ACV Regs Sch.3 para.4\(2\)\)"):
        moratoria.record_exempt_disposal(db, world.officer, asset_id, now=LATER, **answers)  # type: ignore[arg-type]
    result = moratoria.record_exempt_disposal(
        db,
        world.officer,
        asset_id,
        right_granted_on=date(2025, 6, 1),
        now=LATER,
        **answers,  # type: ignore[arg-type]
    )

    assert result.state == "exempt_disposal_recorded"
    assert register_rows(db, world.code)[0].exempt_disposals[0]["basis"] == "ACV Regs Sch.3 para.4"


def test_a_disposal_dated_before_the_listing_is_refused(db: Database) -> None:
    world, _, asset_id = listed_pub(db)

    with pytest.raises(GuardFailed) as refused:
        moratoria.record_exempt_disposal(
            db, world.officer, asset_id, disposal_entered_on=date(2026, 3, 1), exemption="gift",
            details="Given to a trust", now=LATER,
        )  # fmt: skip

    assert refused.value.reasons == (
        (
            "The disposal on Sunday 1 March 2026 was before the land was listed on Friday 20 March 2026: the "
            "moratorium, and so its exemptions, apply only to a disposal of listed land (LA 2011 s.95(1))"
        ),
    )
    assert cycles(db) == 0


def test_a_disposal_dated_before_the_owners_notice_cannot_end_that_cycle(db: Database) -> None:
    world, listing, asset_id = listed_pub(db)
    cycle = owners_notice(db, world, listing, received_on=date(2026, 4, 1), now=T0 + timedelta(days=31))

    with pytest.raises(GuardFailed, match=r"before the council received the owner's notice .*\(LA 2011 s.95\(2\)\)"):
        moratoria.record_exempt_disposal(
            db, world.officer, asset_id, disposal_entered_on=date(2026, 3, 25), exemption="gift",
            details="Given to a trust", now=LATER,
        )  # fmt: skip

    assert case_summary(db, cycle).state == "interim_moratorium"
