"""Public pages: the date calculator."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.functional.web.test_forms import error_summary

pytestmark = pytest.mark.integration


def test_the_calculator_works_out_the_three_moratorium_dates_with_their_reasons(client: FlaskClient) -> None:
    page = client.get("/date-calculator?event=owners_notice&day=5&day=9&day=2025").get_data(as_text=True)

    assert "Thursday 16 October 2025" in page  # STATUTE.md worked example 1: six weeks beginning with Friday 5th
    assert "How this date was worked out" in page


@pytest.mark.parametrize("year", ["9999", "9998"])
def test_a_date_whose_periods_end_after_the_calendar_does_is_an_error_on_the_date(
    client: FlaskClient, year: str
) -> None:
    page = client.get(f"/date-calculator?event=owners_notice&day=31&day=12&day={year}")

    assert page.status_code == 200
    assert error_summary(page.get_data(as_text=True)) == [
        "Enter an earlier date: the periods it starts would end after the year 9999"
    ]


def test_a_date_before_the_regime_is_an_error_on_the_date_naming_the_day_it_began(client: FlaskClient) -> None:
    page = client.get("/date-calculator?event=owners_notice&day=1&day=1&day=2011")

    assert page.status_code == 200
    assert error_summary(page.get_data(as_text=True)) == [
        (
            "The period moratorium.interim (Interim moratorium) cannot run from Saturday 1 January 2011: it came into "
            "force on Friday 21 September 2012, when the assets of community value regime commenced (ACV Regs "
            "(SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3)"
        )
    ]


def test_the_first_day_of_the_regime_is_a_date_the_calculator_counts_from(client: FlaskClient) -> None:
    page = client.get("/date-calculator?event=owners_notice&day=21&day=9&day=2012").get_data(as_text=True)

    assert "Wednesday 20 March 2013" in page  # six months beginning with Friday 21 September 2012
