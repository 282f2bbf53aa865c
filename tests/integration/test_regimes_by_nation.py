"""Each regime only where it is law: the English ACV regime is refused to Scottish and Welsh councils."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from casework.assets import AssetDetails
from casework.db import Database
from casework.errors import NotLawHere
from casework.models import Case
from casework.services import asset_transfers, moratoria
from tests.factories import make_world, nominate_pub

pytestmark = pytest.mark.integration

NOT_LAW = [
    ("scotland", "is not law in Scotland", "Part 5 Chapter 3 of the Localism Act 2011 does not extend to Scotland"),
    ("wales", "is not in force in Wales", "has been brought into force for England only"),
]


def cases_written(db: Database) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


@pytest.mark.parametrize(("nation", "says", "because"), NOT_LAW)
def test_a_council_outside_england_cannot_take_a_nomination_under_the_english_acv_regime(
    db: Database, nation: str, says: str, because: str
) -> None:
    world = make_world(db, code="GLB", nation=nation)

    with pytest.raises(NotLawHere) as refused:
        nominate_pub(db, world)

    (reason,) = refused.value.reasons
    assert f"Listing land as an asset of community value {says}" in reason
    assert because in reason and reason.endswith("ACV Regs reg.1(2))")
    assert "ACV Regs reg.1(2)" in refused.value.citations[0]
    assert cases_written(db) == 0


@pytest.mark.parametrize(("nation", "says", "because"), NOT_LAW)
def test_a_council_outside_england_cannot_run_a_right_to_bid_moratorium(
    db: Database, nation: str, says: str, because: str
) -> None:
    world = make_world(db, code="GLB", nation=nation)
    hall = asset_transfers.offer_asset(db, world.officer, AssetDetails(name="Village Hall", address="Glenbogle"))

    with pytest.raises(NotLawHere) as refused:
        moratoria.record_owner_notice(
            db,
            world.officer,
            hall,
            received_on=date(2026, 3, 2),
            notice_method="email",
            disposal_type="freehold",
            vacant_possession=True,
        )

    assert f"The community right to bid (the disposal moratorium) {says}" in refused.value.reasons[0]
    assert because in refused.value.reasons[0]
    assert cases_written(db) == 0


def test_an_english_council_still_takes_nominations(db: Database) -> None:
    world = make_world(db)
    nominate_pub(db, world)
    assert cases_written(db) == 1
