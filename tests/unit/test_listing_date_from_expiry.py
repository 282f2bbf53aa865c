"""The national data carries no date of entry in the list, only the expiry five years on (LA 2011 s.87(3)):
the import reads the date of entry back from it, exactly, on every day of the calendar."""

from __future__ import annotations

from datetime import date, timedelta

from casework.register.checks import listed_on
from casework.register.rows import read_rows
from workflows.periods import compute


def test_every_date_of_entry_is_read_back_from_its_statutory_expiry() -> None:
    day, wrong = date(2019, 1, 1), []
    while day < date(2031, 1, 1):
        if listed_on(compute("acv.listing_expiry", day).due, day) != day:
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []


def test_an_expiry_no_date_of_entry_leads_to_is_not_used() -> None:
    assert listed_on(date(3, 1, 1), None) is None


def test_a_national_row_loads_with_the_date_of_entry_its_expiry_implies_not_its_record_date() -> None:
    header = "reference,name,address-text,decision,decision-date,expiry-date,entry-date,start-date\n"
    rows, problems = read_rows(header + "ACV/1,The Swan,2 River Road,successful,2024-01-10,2029-01-14,2026-12-04,"
                               "2023-11-20\n")  # fmt: skip

    assert problems == [] and rows[0].ok and rows[0].warnings == []
    assert (rows[0].decision, rows[0].entry_date, rows[0].nomination_date) == (
        "listed",
        date(2024, 1, 15),
        date(2023, 11, 20),
    )


def test_an_expiry_before_five_years_from_the_decision_is_not_taken_for_a_date_of_entry() -> None:
    header = "reference,name,address-text,decision,decision-date,expiry-date\n"
    rows, _ = read_rows(header + "ACV/1,The Swan,2 River Road,listed,2024-01-10,2028-12-31\n")

    assert rows[0].ok and rows[0].entry_date == date(2024, 1, 10)
    assert "expiry-date 2028-12-31 differs from the statutory end 2029-01-09" in rows[0].warnings[1]
