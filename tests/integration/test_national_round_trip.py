"""A register published in the national specification's fields and loaded into another council is the same
register: every entry, its list, its dates, its moratorium and its shape come back as they went out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from casework.db import Database
from casework.queries import register
from casework.register import exports
from casework.register import imports as register_import
from casework.services import councils
from tests.factories import World, list_pub, make_world, owners_notice
from tests.national_specification import check_csv, check_json

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
BASE = "https://casework.example"
# A council's register in its own columns: a date listed apart from the decision, a boundary, a point given
# to 7 places, a listing removed early, one expired, an unsuccessful nomination and a sale with a bidder.
COUNCIL_LAYOUT = (
    "reference,name,address-text,description,decision,decision-date,nomination-date,nominating-group,"
    "notification-to-sell-date,interested-group,date-listed,end-date,point,geometry,reasons,notes\n"
    "ACV/2024/07,The Swan,2 River Road,Riverside pub,listed,2024-01-10,2023-11-20,Swan Society,2026-10-01,"
    "Swan Community Pub Ltd,2024-01-15,,POINT (-2.1234567 52.7654321),,,\n"
    "ACV/2019/03,Old Library,3 The Green,,listed,2019-06-01,2019-04-02,Readers United,,,2019-06-01,,,"
    '"POLYGON ((-2.11 52.21, -2.10 52.21, -2.10 52.22, -2.11 52.22, -2.11 52.21))",,\n'
    "ACV/2022/05,The Forge,4 Smithy Lane,,listed,2022-03-01,2022-01-05,Forge Friends,,,2022-03-01,2023-08-01,"
    "POINT (-2.2 52.3),,,Removed on review: the forge is a private house\n"
    "ACV/2025/02,Ambridge Stores,4 High Street,,not-listed,2025-02-03,2024-12-09,Friends of the Stores,,,,,,,"
    "Closed since 2019: no realistic community use within five years,\n"
    "ACV/2021/11,Lakey Hill,Lakey Hill,Open hillside,listed,2021-11-08,2021-09-30,Hill Walkers,,,2021-11-08,,,"
    '"MULTIPOLYGON (((-2.3 52.1, -2.29 52.1, -2.29 52.11, -2.3 52.1)), ((-2.28 52.1, -2.27 52.1, -2.27 52.11, '
    '-2.28 52.1)))",,\n'
)


def rich_register(db: Database, world: World) -> None:
    """The council's register: the Bull listed through the workflow with an owner's notice, and the rest imported."""
    listing = list_pub(db, world, decided_on=date(2026, 3, 20))
    owners_notice(db, world, listing, received_on=date(2026, 11, 2), now=datetime(2026, 11, 2, 12, tzinfo=UTC))
    report = register_import.import_register(db, world.code, COUNCIL_LAYOUT, now=NOW)
    assert report.loaded, [(row.line, row.errors) for row in report.rows]


def national(db: Database, code: str) -> str:
    return exports.to_csv(register.everything(db, code))


def the_register(db: Database, code: str) -> dict[str, dict[str, Any]]:
    """Everything public about each entry, less what names the council or the day its record was written."""
    leave_out = {"organisation", "entry-date", "council", "url"}
    return {
        entry["reference"]: {key: value for key, value in entry.items() if key not in leave_out}
        for entry in exports.to_json(register.everything(db, code), BASE)
    }


def test_a_register_exported_and_imported_into_a_new_council_is_the_same_register(db: Database) -> None:
    world = make_world(db)
    rich_register(db, world)
    published = national(db, world.code)
    rows = check_csv(published)
    councils.create_council(db, "NEW", "New District Council", organisation="local-authority:NEW")

    report = register_import.import_register(db, "NEW", published, now=NOW)

    assert report.loaded, [(row.line, row.errors) for row in report.rows]
    assert the_register(db, "NEW") == the_register(db, world.code)
    again = check_csv(national(db, "NEW"))
    same = [{k: v for k, v in row.items() if k not in ("organisation", "entry-date")} for row in rows]
    assert [{k: v for k, v in row.items() if k not in ("organisation", "entry-date")} for row in again] == same
    assert {row["organisation"] for row in again} == {"local-authority:NEW"}
    states = {entry["reference"]: (entry["list"], entry["end-date"], entry["moratorium"]) for entry in rows_json(db)}
    assert states == {
        "BDC-ACV-00001": ("listed", "", "Interim moratorium"),
        "ACV/2024/07": ("listed", "", "Full moratorium"),
        "ACV/2019/03": ("listed", "2024-05-31", ""),
        "ACV/2022/05": ("listed", "2023-08-01", ""),
        "ACV/2025/02": ("unsuccessful", "", ""),
        "ACV/2021/11": ("listed", "2026-11-07", ""),  # five years ended 7 November 2026
    }


def rows_json(db: Database) -> list[dict[str, Any]]:
    entries = exports.to_json(register.everything(db, "NEW"), BASE)
    check_json(entries)
    return entries


def test_the_date_of_listing_travels_in_the_expiry_date_when_it_differs_from_the_decision(db: Database) -> None:
    world = make_world(db)
    rich_register(db, world)
    councils.create_council(db, "NEW", "New District Council")

    register_import.import_register(db, "NEW", national(db, world.code), now=NOW)

    swan = register.entry(db, "ACV/2024/07", "NEW")
    assert (swan.decision_date, swan.entry_date, swan.expiry_date) == (
        date(2024, 1, 10),
        date(2024, 1, 15),
        date(2029, 1, 14),
    )
