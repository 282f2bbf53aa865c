"""The alert pages as a resident uses them: ask, check your email, confirm from the link; the form limited per
address; and the admin's page that loads Code-Point Open postcodes, naming each wrong row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework import examples
from casework.db import Database
from casework.models import OutboxMessage, Subscription
from casework.services import postcodes
from tests.factories import make_world
from tests.functional.web.conftest import make_app, sign_in_as

pytestmark = pytest.mark.integration
SAMPLE = Path(__file__).parents[2] / "fixtures" / "codepoint_sample.csv"
NEAR_THE_PUB = {"email": "resident@example.org", "council": "BDC", "kind": "area", "postcode": "bs1 4nd"}


def confirmation_path(db: Database, email: str) -> str:
    """The link the confirmation email carries, as the outbox holds it for the worker to send."""
    with db.reader() as session:
        payloads = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "account.email")).all()
    [link] = [p["link"] for p in payloads if p.get("email") == email]
    return str(link).removeprefix("https://casework.example")


def test_a_resident_asks_for_alerts_near_a_postcode_checks_their_email_and_confirms(
    client: FlaskClient, sqlite_db: Database
) -> None:
    make_world(sqlite_db)
    postcodes.load(sqlite_db, [examples.postcode_file()])

    asked = client.post("/alerts", data={**NEAR_THE_PUB, "radius_m": "3219"}, follow_redirects=True)
    page = asked.get_data(as_text=True)
    assert "Check your email" in page and "Follow it within 7 days to start your alerts" in page
    with sqlite_db.reader() as session:
        assert session.scalars(select(Subscription.confirmed_at)).all() == [None]  # nothing is sent yet

    link = confirmation_path(sqlite_db, "resident@example.org")
    opened = client.get(link).get_data(as_text=True)  # a mail scanner opening the link confirms nothing
    assert "Borsetshire District Council will email you about everything within 2 miles of BS1 4ND" in opened
    with sqlite_db.reader() as session:
        assert session.scalars(select(Subscription.confirmed_at)).all() == [None]
    confirmed = client.post(link).get_data(as_text=True)
    assert "Alerts confirmed" in confirmed and "stop these alerts now" in confirmed
    with sqlite_db.reader() as session:
        assert session.scalars(select(Subscription.confirmed_at)).one() is not None
    assert client.get("/alerts/confirm/not-a-real-link").status_code == 404


def test_the_form_says_what_is_missing_for_the_kind_of_alert_chosen(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)

    nothing = client.post("/alerts", data={"email": "resident@example.org", "council": "BDC"})
    area = client.post("/alerts", data={**NEAR_THE_PUB, "postcode": ""})
    unknown = client.post("/alerts", data={**NEAR_THE_PUB, "postcode": "ZZ1 1ZZ", "radius_m": "1609"})

    assert nothing.status_code == area.status_code == unknown.status_code == 400
    assert "Select what you want to hear about" in nothing.get_data(as_text=True)
    assert "Enter a postcode" in area.get_data(as_text=True)
    assert "Select how far from the postcode" in area.get_data(as_text=True)
    assert "We do not know where ZZ1 1ZZ is" in unknown.get_data(as_text=True)
    with sqlite_db.reader() as session:
        assert session.scalars(select(Subscription.id)).all() == []


def test_an_address_gets_three_confirmation_emails_an_hour_and_then_the_form_says_why_not(
    sqlite_db: Database, tmp_path: Path
) -> None:
    make_world(sqlite_db)
    app = make_app(sqlite_db, tmp_path, RATELIMIT_ENABLED=True)
    pubs = {"council": "BDC", "kind": "category", "category": "pub"}
    with app.test_client() as client:
        typo = client.post("/alerts", data={**pubs, "email": "not an address"})  # a mistake costs nothing
        codes = [client.post("/alerts", data={**pubs, "email": "Resident@Example.org"}).status_code for _ in range(4)]
        refused = client.post("/alerts", data={**pubs, "email": "resident@example.org"})
        other = client.post("/alerts", data={**pubs, "email": "neighbour@example.org"})

    assert typo.status_code == 400
    assert codes == [302, 302, 302, 429]
    assert refused.status_code == 429
    assert "You have asked for alerts for this email address several times in the last hour" in refused.get_data(
        as_text=True
    )
    assert 'class="govuk-error-summary"' in refused.get_data(as_text=True)
    assert other.status_code == 302
    with sqlite_db.reader() as session:
        assert len(session.scalars(select(Subscription.id)).all()) == 4


def test_an_admin_loads_code_point_open_files_and_a_wrong_row_is_named_with_nothing_loaded(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    assert "No postcodes are loaded yet" in client.get("/admin/postcodes").get_data(as_text=True)

    bad = SAMPLE.read_bytes() + b'"BS1 4NZ",10,358836\n'
    refused = client.post("/admin/postcodes", data={"files": [(io.BytesIO(bad), "bs.csv")]})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "1 row could not be read, so nothing was loaded" in text and 'class="govuk-error-summary"' in text
    assert "bs.csv, line 6: has 3 columns; Code-Point Open has 10" in text
    assert postcodes.summary(sqlite_db).count == 0

    loaded = client.post(
        "/admin/postcodes",
        data={
            "files": [
                (io.BytesIO(SAMPLE.read_bytes()), "bs.csv"),
                (io.BytesIO(b'"EH1 1YZ",10,325868,673781,"S92000003","","","","S12000036","S13002929"\n'), "eh.csv"),
            ]
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "5 postcodes loaded; 1 without coordinates were left out." in loaded
    assert "B, BS, EH, SW, W" in loaded


def test_a_file_that_is_not_csv_is_refused_in_words(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    refused = client.post("/admin/postcodes", data={"files": [(io.BytesIO(b"\x89PNG\r\n\x1a\n\xff"), "map.png")]})

    assert refused.status_code == 400
    assert "map.png is not a text file: give the CSV files from Code-Point Open" in refused.get_data(as_text=True)
