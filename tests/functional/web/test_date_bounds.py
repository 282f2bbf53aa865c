"""A date from before the law existed, or before the case's own record, is refused by the page and the API alike.

The report: a nomination received on 4 December 2026, listed with decision, entry and notice dates of
1 January 1900, was accepted, and the sweep ended the listing a minute later.
"""

from __future__ import annotations

import html
import uuid

import pytest
from flask.testing import FlaskClient

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.queries import case_summary
from casework.services.case_transitions import apply_transition
from tests.factories import World, make_world, nominate_pub
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_api import bearer, problem, token_for
from tests.integration.test_transitions import row_counts
from workflows.periods import long_date
from workflows.roles import Role

pytestmark = pytest.mark.integration

_1900 = "1900-01-01"
COMMENCED = "cannot be before Friday 21 September 2012, when the assets of community value regime commenced"


def _considered(db: Database) -> tuple[World, uuid.UUID, list[str]]:
    """A nomination received today and under consideration, and the reasons a 1900 listing must be refused."""
    world = make_world(db)
    now = utcnow()
    case_id = nominate_pub(db, world, received_on=london_date(now), now=now)
    apply_transition(db, case_id, "consider", world.officer, now=now)
    received = long_date(london_date(now))
    reasons = [
        f"The date of the decision, Monday 1 January 1900, {COMMENCED}",
        f"The date of the entry in the list, Monday 1 January 1900, {COMMENCED}",
        f"The date written notice of inclusion was given, Monday 1 January 1900, {COMMENCED}",
        (
            "The date of the decision, Monday 1 January 1900, cannot be before the date the council received "
            f"the nomination, {received}"
        ),
    ]
    return world, case_id, reasons


def test_a_listing_dated_1900_is_refused_on_the_page_with_its_rule_and_nothing_is_written(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world, case_id, reasons = _considered(sqlite_db)
    case = case_summary(sqlite_db, case_id)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    before = row_counts(sqlite_db)
    page = client.post(
        f"/officer/cases/{case.reference}/actions/list",
        data={
            "version": case.version,
            "decided_on": ["1", "1", "1900"],
            "entry_date": ["1", "1", "1900"],
            "inclusion_notice_given_on": ["1", "1", "1900"],
            "community_value_basis": "current_use",
            "reasons": "Valued by the village",
        },
    )
    shown = html.unescape(page.get_data(as_text=True))
    assert "govuk-error-summary" in shown
    for reason in reasons:
        assert reason in shown, reason
    summary = shown.split("govuk-error-summary__list")[1].split("</ul>")[0]
    for field in ("decided_on", "entry_date", "inclusion_notice_given_on"):  # a line each, leading to its date
        assert f'href="#{field}"' in summary, field
    assert row_counts(sqlite_db) == before
    assert case_summary(sqlite_db, case_id).state == "under_consideration"


def test_a_listing_dated_1900_is_refused_by_the_api_in_the_same_words_and_nothing_is_written(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world, case_id, reasons = _considered(sqlite_db)
    case = case_summary(sqlite_db, case_id)
    headers = bearer(token_for(sqlite_db, world, Role.OFFICER))
    before = row_counts(sqlite_db)
    refused = client.post(
        f"/api/v1/cases/{case.reference}/transitions",
        headers=headers,
        json={
            "trigger": "list",
            "expected_version": case.version,
            "data": {
                "decided_on": _1900,
                "entry_date": _1900,
                "inclusion_notice_given_on": _1900,
                "community_value_basis": "current_use",
                "reasons": "Valued by the village",
            },
        },
    )
    body = problem(refused, 422)
    said = repr(body)
    for reason in reasons:
        assert reason in said, reason
    assert row_counts(sqlite_db) == before
    assert case_summary(sqlite_db, case_id).state == "under_consideration"
