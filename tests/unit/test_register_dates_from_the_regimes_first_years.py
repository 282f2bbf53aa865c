"""Registers kept since the regime began carry listings from 2012 and 2013: they read with the statutory dates of
their day, and a date from before the regime is a row's error, never a crash (pure: no database)."""

from __future__ import annotations

from datetime import date

from casework.register.checks import listed_on
from casework.register.rows import read_rows

HEADER = "reference,name,address-text,decision,decision-date,date-listed,expiry-date,notification-to-sell-date\n"
TODAY = date(2026, 11, 22)
BEFORE = (
    "is before Friday 21 September 2012, when the assets of community value regime commenced "
    "(ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3)"
)


def test_a_listing_from_2013_with_a_sale_notice_in_2014_reads_with_its_five_years_and_no_problem() -> None:
    rows, problems = read_rows(HEADER + "ACV/2013/01,The Bell,1 Bell Lane,listed,2013-02-01,2013-02-01,,2014-03-03\n")

    assert problems == [] and rows[0].ok and rows[0].warnings == []
    assert (rows[0].entry_date, rows[0].expiry_date, rows[0].notice_date) == (
        date(2013, 2, 1),
        date(2018, 1, 31),
        date(2014, 3, 3),
    )


def test_a_listing_entered_on_the_day_the_regime_began_reads_back_from_its_expiry() -> None:
    assert listed_on(date(2017, 9, 20), None) == date(2012, 9, 21)


def test_an_expiry_that_would_put_the_entry_before_the_regime_gives_no_date_of_entry() -> None:
    assert listed_on(date(2017, 9, 19), None) is None


def test_a_listing_decided_before_the_regime_is_an_error_on_its_row_not_a_crash() -> None:
    rows, problems = read_rows(HEADER + "ACV/2012/01,The Crown,2 Crown Street,listed,2012-09-01,,2017-08-31,\n")

    assert problems == [] and not rows[0].ok
    assert rows[0].errors == [f"decision-date 2012-09-01 {BEFORE}"]


def test_a_sale_notice_before_the_regime_starts_no_disposal_cycle() -> None:
    rows, _ = read_rows(
        HEADER
        + "ACV/1 (1st moratorium),The Oak,3 Oak Road,listed,2013-05-01,2013-05-01,,2012-01-10\n"
        + "ACV/1 (2nd moratorium),The Oak,3 Oak Road,listed,2013-05-01,2013-05-01,,2015-06-01\n",
        today=TODAY,
    )

    listing, second = rows
    assert listing.errors == [f"notification-to-sell-date 2012-01-10 {BEFORE}", _before_listed()]
    assert [cycle.notice_date for cycle in listing.cycles] == [date(2015, 6, 1)]
    assert second.merged_into == listing.line


def _before_listed() -> str:
    return "notification-to-sell-date is before the land was listed"
