"""Reading councils' registers in their own layouts: mapping files, dates, points, names and cycles (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from casework.register.columns import MappingProblem, guess, read_column_csv, write_column_csv
from casework.register.files import FileProblem, csv_table, read_table
from casework.register.rows import read_register
from tests.registers import (
    BOROUGH_COLUMN_CSV,
    BOROUGH_HEADERS,
    BOROUGH_ROWS,
    DISTRICT_HEADERS,
    DISTRICT_ROWS,
    as_csv,
    as_ods,
    as_xlsx,
    with_reasons,
)

TODAY = date(2026, 11, 22)


def test_a_digital_land_column_csv_maps_headers_ignoring_case_and_punctuation_and_other_datasets() -> None:
    mapping = read_column_csv(BOROUGH_COLUMN_CSV)

    assert guess(BOROUGH_HEADERS, mapping) == {
        "Ref Number": "reference",
        "Property name and address": "name-and-address",
        "Date Nomination Received": "nomination-date",
        "Nominating Body": "nominating-group",
        "Outcome": "decision",  # not "notes" (an ended row) nor "name" (another dataset's row)
        "Date of Decision": "decision-date",
        "Date Added To List": "date-listed",
        "Listing Expires": "expiry-date",
        "Date of Notice of Intended Disposal": "notification-to-sell-date",
        "Community Interest Group": "interested-group",
        "Location": "point",
    }


def test_a_mapping_file_naming_an_unknown_field_is_refused_with_its_line() -> None:
    with pytest.raises(MappingProblem, match=r"line 2 of the mapping file maps 'Ref' to 'ref-no', which is not a"):
        read_column_csv("dataset,column,field\nasset-of-community-value,Ref,ref-no\n")


def test_a_saved_mapping_written_as_column_csv_reads_back_the_same() -> None:
    saved = {"Ref Number": "reference", "Outcome": "decision"}
    assert read_column_csv(write_column_csv(saved)) == {"refnumber": "reference", "outcome": "decision"}


def test_headers_guessed_from_names_and_aliases_leave_unknown_columns_out() -> None:
    assert guess(["Reference", "Asset_Name", "ADDRESS", "status", "Colour"]) == {
        "Reference": "reference",
        "Asset_Name": "name",
        "ADDRESS": "address-text",
        "status": "decision",
        "Colour": None,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-04", date(2024, 3, 4)),
        ("04/03/2024", date(2024, 3, 4)),
        ("4 March 2024", date(2024, 3, 4)),
        ("4th Mar 2024", date(2024, 3, 4)),
        ("45355", date(2024, 3, 4)),  # Excel's serial day number
        ("2024-03-04 00:00:00", date(2024, 3, 4)),
    ],
)
def test_dates_are_read_in_the_forms_registers_hold(text: str, expected: date) -> None:
    table = csv_table(f"reference,name,address-text,decision,date-listed\nA,B,C,listed,{text}\n")
    [row], problems = read_register(table, guess(table.headers), today=TODAY)
    assert problems == [] and row.errors == [] and row.entry_date == expected


def test_points_are_read_as_wkt_as_latitude_longitude_and_as_british_national_grid() -> None:
    table = csv_table(
        "reference,name,address-text,decision,date-listed,point,easting,northing\n"
        "A,B,C,listed,2024-01-01,POINT (-1.5 52.1),,\n"
        'B,B,C,listed,2024-01-01,"(51.5373, -0.1409)",,\n'
        "C,B,C,listed,2024-01-01,,529090,184050\n"
        "D,B,C,listed,2024-01-01,,52909,\n"
    )
    rows, _ = read_register(table, guess(table.headers), today=TODAY)

    assert [row.point for row in rows[:2]] == ["POINT (-1.5 52.1)", "POINT (-0.1409 51.5373)"]
    assert rows[2].point == "POINT (-0.139975 51.540595)"  # pyproj, EPSG:27700 to WGS84
    assert "(British National Grid) is POINT (-0.139975 51.540595)" in rows[2].warnings[0]
    assert rows[3].errors == ["easting and northing: both must be numbers of metres, like 529090 and 184050"]


def test_a_name_and_address_column_is_split_when_no_address_is_given() -> None:
    table = csv_table(
        'reference,Property name and address,decision,date-listed\nA,"The Crown, 1 Market St, Town",listed,2024-01-01\n'
    )
    [row], _ = read_register(table, guess(table.headers), today=TODAY)
    assert (row.name, row.address) == ("The Crown", "1 Market St, Town")
    assert row.warnings == [
        "name and address split from 'The Crown, 1 Market St, Town': name 'The Crown', address '1 Market St, Town'"
    ]


def test_rows_per_moratorium_cycle_make_one_listing_with_its_cycles_in_date_order() -> None:
    headers, rows = with_reasons(BOROUGH_HEADERS, BOROUGH_ROWS)
    table = read_table(as_csv(headers, rows), "register.csv")
    read, problems = read_register(table, guess(table.headers, read_column_csv(BOROUGH_COLUMN_CSV)), today=TODAY)

    assert problems == [] and all(row.ok for row in read)
    first, second = read[1], read[2]
    assert (first.reference, first.merged_into, second.merged_into) == ("BORACV02", None, 3)
    assert [(c.line, c.notice_date) for c in first.cycles] == [(3, date(2021, 6, 1)), (4, date(2024, 1, 3))]
    assert (first.notice_date, first.interested_group) == (date(2024, 1, 3), None)  # the entry shows the latest
    assert second.warnings[-1] == "merged into line 3: the same listing (BORACV02), the 2nd disposal cycle"
    assert "2 disposal cycle(s) in date order, from lines 3, 4" in first.warnings[-1]
    assert read[3].decision == "not-listed"


def test_a_second_notice_inside_the_first_cycles_protected_period_is_an_error_on_its_line() -> None:
    table = csv_table(
        "reference,name,address-text,decision,date-listed,notification-to-sell-date\n"
        "X (1st moratorium),Pub,1 Lane,listed,2020-01-06,2021-06-01\n"
        "X (2nd moratorium),Pub,1 Lane,listed,2020-01-06,2022-06-01\n"
    )
    rows, _ = read_register(table, guess(table.headers), today=TODAY)
    assert rows[1].errors == [
        (
            "notification-to-sell-date 2022-06-01 falls inside the protected period of the cycle on line 2, "
            "which runs until 2022-11-30 (LA 2011 s.95(6))"
        )
    ]


@pytest.mark.parametrize("kind", ["csv-utf8", "csv-windows-1252", "xlsx", "ods"])
def test_every_format_reads_to_the_same_rows(kind: str) -> None:
    files = {
        "csv-utf8": (as_csv(DISTRICT_HEADERS, DISTRICT_ROWS), "r.csv"),
        "csv-windows-1252": (as_csv(DISTRICT_HEADERS, DISTRICT_ROWS, "cp1252"), "r.csv"),
        "xlsx": (as_xlsx(DISTRICT_HEADERS, DISTRICT_ROWS), "r.xlsx"),
        "ods": (as_ods(DISTRICT_HEADERS, DISTRICT_ROWS), "r.ods"),
    }
    table = read_table(*files[kind])
    rows, problems = read_register(table, guess(table.headers), today=TODAY)

    assert problems == [] and [row.errors for row in rows] == [[], [], []]
    assert [(row.line, row.reference, row.name, row.decision_date) for row in rows] == [
        (2, "DIS/1", "The Wheatsheaf", date(2023, 5, 2)),
        (3, "DIS/2", "Caf\u00e9 Royale", date(2024, 3, 4)),
        (4, "DIS/3", "Old Forge", date(2024, 1, 9)),
    ]
    assert rows[0].point == "POINT (-0.139975 51.540595)"
    assert (rows[2].decision, rows[2].reasons) == ("not-listed", "Private house")


def test_a_file_of_another_kind_is_refused_in_words() -> None:
    with pytest.raises(FileProblem, match="use CSV, Excel"):
        read_table(b"%PDF-1.7", "register.pdf")
    with pytest.raises(FileProblem, match="not an Excel workbook"):
        read_table(b"not a zip", "register.xlsx")
