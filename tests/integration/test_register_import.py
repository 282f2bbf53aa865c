"""Importing a council's existing register: every row checked, then all loaded in the right states, or none."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from casework.db import Database
from casework.models import Asset, Case, RegisterEntry
from casework.queries import case_summary, register_rows
from casework.register import imports as register_import
from tests.factories import list_pub, make_world

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)

HEADER = (
    "reference,name,address-text,description,decision,decision-date,nomination-date,nominating-group,"
    "notification-to-sell-date,interested-group,expiry-date,point,notes,date-listed,end-date"
)
ROWS = [
    # listed in 2023, still listed
    (
        "ACV/2023/01,The Plough,1 Church Lane,Village pub,listed,2023-05-02,2023-03-10,Plough Action Group,,,"
        "2028-05-01,POINT (-2.1 52.2),,2023-05-02,"
    ),
    # listed, owner's notice on 1 October 2026 and a bidder: full moratorium until 31 March 2027
    (
        "ACV/2024/07,The Swan,2 River Road,Pub,listed,2024-01-15,,Swan Society,2026-10-01,Swan Community Pub Ltd,,"
        ",,15/01/2024,"
    ),
    # listed in 2019: the five years ended in 2024
    "ACV/2019/03,Old Library,3 The Green,,listed,2019-06-01,,,,,,,,2019-06-01,",
    # unsuccessful, with its reasons
    (
        "ACV/2025/02,Ambridge Stores,4 High Street,,not-listed,2025-02-03,2024-12-09,Friends of the Stores,,,,,"
        "Closed since 2019: no realistic community use within five years,,"
    ),
]


def csv_text(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_a_valid_register_is_loaded_with_each_entry_in_the_state_its_dates_imply(db: Database) -> None:
    world = make_world(db)
    report = register_import.import_register(db, world.code, csv_text(ROWS), now=NOW)

    assert report.loaded and report.ok
    entries = {row.reference: row for row in register_rows(db, world.code)}
    assert entries["ACV/2023/01"].expiry_date == date(2028, 5, 1)
    assert entries["ACV/2023/01"].end_date is None
    assert entries["ACV/2019/03"].end_date == date(2024, 5, 31)
    assert entries["ACV/2025/02"].list_kind == "unsuccessful"
    assert entries["ACV/2025/02"].reasons == "Closed since 2019: no realistic community use within five years"
    swan = entries["ACV/2024/07"]
    assert (swan.notification_to_sell_date, swan.interim_end_date, swan.full_end_date, swan.protected_end_date) == (
        date(2026, 10, 1),
        date(2026, 11, 11),
        date(2027, 3, 31),
        date(2028, 3, 31),
    )
    assert swan.interested_group == "Swan Community Pub Ltd"
    with db.reader() as session:
        listings = select(Case.facts["imported_reference"].as_string(), Case.state).where(
            Case.workflow == "acv_listing"
        )
        states = dict(session.execute(listings).all())
        cycle = session.scalars(select(Case).where(Case.workflow == "moratorium")).one()
    assert states == {
        "ACV/2023/01": "listed",
        "ACV/2024/07": "listed",
        "ACV/2019/03": "expired",
        "ACV/2025/02": "unsuccessful",
    }
    moratorium = case_summary(db, cycle.id)
    assert moratorium.state == "full_moratorium"
    assert {d.timer: (d.due_date, d.status) for d in moratorium.deadlines} == {
        "full_end": (date(2027, 3, 31), "pending"),
        "protected_end": (date(2028, 3, 31), "pending"),
        "interim_end": (date(2026, 11, 11), "fired"),
    }
    assert moratorium.events[-1].kind == "imported"


def test_one_invalid_row_loads_nothing_and_every_problem_is_reported(db: Database) -> None:
    world = make_world(db)
    bad = [
        *ROWS,
        "ACV/2025/09,No Reasons Inn,5 Lane,,not-listed,2025-03-01,,,,,,,,,",
        "ACV/2025/10,Bad Date Hall,6 Lane,,listed,31/02/2025,,,,,,POINT (500 100),,,",
        "ACV/2023/01,Duplicate,7 Lane,,listed,2023-05-02,,,,,,,,2023-05-02,",
    ]
    report = register_import.import_register(db, world.code, csv_text(bad), now=NOW)

    assert not report.ok and not report.loaded
    problems = {row.line: row.errors for row in report.rows if row.errors}
    assert problems == {
        6: ["an unsuccessful nomination must carry its reasons (s.93(3)(b)): add a reasons column"],
        7: [
            "decision-date '31/02/2025' is not a real date (use YYYY-MM-DD, DD/MM/YYYY or a date like 4 March 2024)",
            "point: The point must be a longitude between -180 and 180 and a latitude between -90 and 90",
            "a listed asset needs a decision-date (or a date-listed)",
        ],
        8: ["reference ACV/2023/01 is also on line 2"],
    }
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(RegisterEntry)) == 0
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_dry_run_checks_and_warns_but_loads_nothing_and_a_second_import_is_refused(db: Database) -> None:
    world = make_world(db)
    wrong_expiry = ROWS[0].replace("2028-05-01", "2028-05-02")
    dry = register_import.import_register(db, world.code, csv_text([wrong_expiry]), dry_run=True, now=NOW)
    assert dry.ok and not dry.loaded
    assert dry.rows[0].warnings == [
        (
            "expiry-date 2028-05-02 differs from the statutory end 2028-05-01 (5 years beginning with the entry "
            "date, s.87(3)); the statutory date is used"
        )
    ]
    assert register_rows(db, world.code) == []
    register_import.import_register(db, world.code, csv_text(ROWS[:1]), now=NOW)
    again = register_import.import_register(db, world.code, csv_text(ROWS[:1]), now=NOW)
    assert again.rows[0].errors == [f"reference ACV/2023/01 is already on {world.code}'s register"]


def test_a_file_without_the_required_columns_is_refused_as_a_whole(db: Database) -> None:
    world = make_world(db)
    report = register_import.import_register(db, world.code, "ref,title\nA,B\n", now=NOW)
    assert report.file_problems == (
        (
            "No column is mapped to name, address-text, decision "
            "(see the planning.data.gov.uk asset-of-community-value fields)"
        ),
    )


LAND_HEADER = "reference,name,address-text,decision,decision-date,date-listed,end-date,uprn,title-number,reasons"


def land_csv(rows: list[str]) -> str:
    return "\n".join([LAND_HEADER, *rows]) + "\n"


def test_a_row_about_land_already_listed_is_refused_and_an_old_listing_of_it_joins_the_same_asset(
    db: Database,
) -> None:
    world = make_world(db)
    list_pub(db, world)  # The Bull, UPRN 100012345678, listed from 20 March 2026
    clash = "ACV/2025/11,Bull Inn,1 High St,listed,2025-06-02,2025-06-02,,100012345678,,"
    report = register_import.import_register(db, world.code, land_csv([clash]), now=NOW)

    assert not report.loaded
    assert report.rows[0].errors == [
        (
            "the land (UPRN 100012345678) is already on BDC's register: The Bull is listed as BDC-ACV-00001 from "
            "2026-03-20 to 2031-03-19"
        )
    ]

    earlier = "ACV/2014/02,Bull Inn,1 High St,listed,2014-06-02,2014-06-02,,100012345678,,"
    loaded = register_import.import_register(db, world.code, land_csv([earlier]), now=NOW)
    assert loaded.loaded
    assert loaded.rows[0].warnings == [
        "the land (UPRN 100012345678) is The Bull (BDC-AST-00001): the entry is added to it"
    ]
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(Asset)) == 1
        assert {entry.asset_id for entry in session.scalars(select(RegisterEntry))} == {
            session.scalars(select(Asset.id)).one()
        }


def test_two_rows_listing_the_same_title_at_the_same_time_are_refused_and_a_relisting_shares_one_asset(
    db: Database,
) -> None:
    world = make_world(db)
    first = "ACV/2015/01,Village Hall,Hall Lane,listed,2015-01-05,2015-01-05,,,BK12345,"
    overlapping = "ACV/2018/01,Village Hall,Hall Lane,listed,2018-01-08,2018-01-08,,,bk12345;BK999,"
    report = register_import.import_register(db, world.code, land_csv([first, overlapping]), now=NOW)
    assert report.rows[1].errors == [
        (
            "the land (title BK12345) is also listed on line 2 (ACV/2015/01) for the same time: "
            "one piece of land has one entry"
        )
    ]

    relisted = "ACV/2020/01,Village Hall,Hall Lane,listed,2020-01-06,2020-01-06,,,BK12345,"
    loaded = register_import.import_register(db, world.code, land_csv([first, relisted]), now=NOW)
    assert loaded.loaded
    with db.reader() as session:
        [asset] = session.scalars(select(Asset)).all()
        assert asset.title_numbers == ["BK12345"]
        assert session.scalar(select(func.count()).select_from(RegisterEntry)) == 2


def test_impossible_dates_are_reported_row_by_row(db: Database) -> None:
    world = make_world(db)
    rows = [
        "ACV/2027/01,Future Inn,1 Lane,listed,2027-01-04,2027-01-04,,,,",
        "ACV/2026/02,Backwards Hall,2 Lane,listed,2026-06-01,2026-05-01,,,,",
        "ACV/2026/03,Early Stores,3 Lane,not-listed,2026-12-01,,,,,Not of community value",
    ]
    report = register_import.import_register(db, world.code, land_csv(rows), now=NOW)

    assert not report.loaded
    assert {row.line: row.errors for row in report.rows} == {
        2: [
            "decision-date 2027-01-04 is in the future: it records something that has already happened",
            "date-listed 2027-01-04 is in the future: it records something that has already happened",
        ],
        3: [
            (
                "date-listed 2026-05-01 is before decision-date 2026-06-01: land is entered in the list on or after "
                "the decision to list it (LA 2011 s.87(3), s.90(4))"
            )
        ],
        4: ["decision-date 2026-12-01 is in the future: it records something that has already happened"],
    }


def test_a_listing_dated_1900_is_refused_as_before_the_regime_commenced_and_nothing_is_loaded(db: Database) -> None:
    world = make_world(db)
    rows = ["ACV/1900/01,Century Inn,1 Lane,listed,1900-01-01,1900-01-01,,,,"]
    report = register_import.import_register(db, world.code, land_csv(rows), now=NOW)

    assert not report.loaded
    commenced = (
        "is before Friday 21 September 2012, when the assets of community value regime commenced "
        "(ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3)"
    )
    assert {row.line: row.errors for row in report.rows} == {
        2: [f"decision-date 1900-01-01 {commenced}", f"date-listed 1900-01-01 {commenced}"]
    }
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(RegisterEntry)) == 0
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_file_with_a_header_and_no_entries_is_a_problem_with_the_file(db: Database) -> None:
    world = make_world(db)
    report = register_import.import_register(db, world.code, land_csv([]), now=NOW)
    assert (report.file_problems, report.rows, report.loaded) == (
        ("The file has a header row but no entries",),
        (),
        False,
    )


def test_two_imports_of_the_same_register_at_once_load_it_once(db: Database) -> None:
    """The checks run in the transaction that writes, so the second import finds the first one's entries."""
    world = make_world(db)
    start = threading.Barrier(2)
    reports: list[register_import.ImportReport] = []

    def load() -> None:
        start.wait()
        reports.append(register_import.import_register(db, world.code, csv_text(ROWS), now=NOW))

    workers = [threading.Thread(target=load) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(report.loaded for report in reports) == [False, True]
    refused = next(report for report in reports if not report.loaded)
    assert refused.rows[0].errors == [f"reference ACV/2023/01 is already on {world.code}'s register"]
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(RegisterEntry)) == len(ROWS)


def test_a_register_kept_since_2013_loads_with_the_statutory_dates_of_its_day(db: Database) -> None:
    world = make_world(db)
    bell = "The Bell,1 Bell Lane,Pub,listed,2013-02-01,2012-12-03,Bell Society"
    rows = [
        f"ACV/2013/01 (1st moratorium),{bell},2013-06-03,,,,,2013-02-01,",
        f"ACV/2013/01 (2nd moratorium),{bell},2015-01-05,Bell Pub Ltd,,,,2013-02-01,",
        "ACV/2012/09,The Mill,2 Mill Lane,,listed,2012-09-21,,,,,,,,2012-09-21,",  # the regime's first day
    ]
    report = register_import.import_register(db, world.code, csv_text(rows), now=NOW)

    assert report.loaded and report.ok
    entries = {row.reference: row for row in register_rows(db, world.code)}
    bell_entry, mill = entries["ACV/2013/01"], entries["ACV/2012/09"]
    assert (bell_entry.expiry_date, bell_entry.end_date) == (date(2018, 1, 31), date(2018, 1, 31))
    assert (
        bell_entry.notification_to_sell_date,
        bell_entry.interim_end_date,
        bell_entry.full_end_date,
        bell_entry.protected_end_date,
    ) == (date(2015, 1, 5), date(2015, 2, 15), date(2015, 7, 4), date(2016, 7, 4))
    assert (mill.expiry_date, mill.end_date) == (date(2017, 9, 20), date(2017, 9, 20))
