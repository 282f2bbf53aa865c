"""The public downloads in the national specification's terms, the council's organisation code, and feeds that
page through the whole register however long it is."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from flask.testing import FlaskClient

from casework.db import Database
from casework.register import imports as register_import
from tests.factories import make_world
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_forms import error_summary
from tests.integration.test_national_round_trip import NOW, rich_register
from tests.national_specification import check_csv, check_geojson, check_json

pytestmark = pytest.mark.integration
ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_download_follows_the_national_specification_field_by_field(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    rich_register(sqlite_db, world)

    rows = {row["reference"]: row for row in check_csv(client.get("/register.csv").get_data(as_text=True))}
    check_json(json.loads(client.get("/register.json").get_data(as_text=True)))
    check_json(client.get("/api/v1/register").get_json()["entries"])
    check_geojson(json.loads(client.get("/register.geojson").get_data(as_text=True)))

    bull, stores, swan = rows["BDC-ACV-00001"], rows["ACV/2025/02"], rows["ACV/2024/07"]
    assert (bull["decision"], stores["decision"]) == ("successful", "unsuccessful")
    assert (bull["start-date"], bull["decision-date"]) == ("2026-03-02", "2026-03-20")  # nominated, then decided
    assert bull["expiry-date"] == "2031-03-19"  # five years beginning with the date of entry, s.87(3)
    assert bull["entry-date"] == "2026-11-02"  # the record last changed with the owner's notice
    assert bull["organisation"] == "local-authority:BDC"
    assert swan["point"] == "POINT (-2.123457 52.765432)"  # given to 7 places, published to 6
    assert swan["protected-period-start-date"] == swan["notification-to-sell-date"] == "2026-10-01"
    assert rows["ACV/2019/03"]["geometry"].startswith("POLYGON ((-2.11 52.21")
    assert rows["ACV/2022/05"]["end-date"] == "2023-08-01"
    assert stores["notes"] == "Closed since 2019: no realistic community use within five years"


def test_an_admin_sets_the_organisation_the_national_data_names_and_a_wrong_one_is_explained(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    rich_register(sqlite_db, world)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    assert "Now: <strong>local-authority:BDC</strong>" in client.get("/admin/settings").get_data(as_text=True)

    wrong = client.post("/admin/settings", data={"organisation": "Borsetshire", "save_organisation": "Save"})
    assert wrong.status_code == 400
    assert error_summary(wrong.get_data(as_text=True)) == [
        "Enter the organisation as planning.data.gov.uk writes it, like local-authority:CMD"
    ]
    saved = client.post("/admin/settings", data={"organisation": " local-authority:BOR ", "save_organisation": "Save"})
    assert saved.status_code == 302
    assert "local-authority:BOR" in client.get("/admin/settings").get_data(as_text=True)

    rows = check_csv(client.get("/register.csv?council=BDC").get_data(as_text=True))
    assert {row["organisation"] for row in rows} == {"local-authority:BOR"}
    features = json.loads(client.get("/register.geojson").get_data(as_text=True))["features"]
    assert {feature["properties"]["organisation"] for feature in features} == {"local-authority:BOR"}


def many_listings(db: Database, code: str, count: int, notices: int) -> None:
    """`count` listings, one a day from 1 January 2024, the first `notices` with an owner's notice in 2026."""
    lines = ["reference,name,address-text,decision,decision-date,date-listed,notification-to-sell-date"]
    for number in range(count):
        day = datetime(2024, 1, 1, tzinfo=UTC).toordinal() + number
        listed = datetime.fromordinal(day).date().isoformat()
        notice = f"2026-10-{number + 1:02d}" if number < notices else ""
        lines.append(f"ACV/{number:04d},Place {number},{number} Long Road,listed,{listed},{listed},{notice}")
    report = register_import.import_register(db, code, "\n".join(lines) + "\n", now=NOW)
    assert report.loaded, [(row.line, row.errors) for row in report.rows if row.errors]


def feed_pages(client: FlaskClient) -> list[ET.Element]:
    pages, url = [], "/register.atom"
    while url:
        response = client.get(url.removeprefix("https://casework.example"))
        assert response.status_code == 200 and 'rel="first"' in response.headers["Link"]
        pages.append(ET.fromstring(response.data))  # noqa: S314 - the feed this test's own server wrote
        url = next((link.get("href") for link in pages[-1].iter(f"{ATOM}link") if link.get("rel") == "next"), "")
        assert len(pages) < 10, "the next links go round in a circle"
    return pages


def test_the_atom_feed_pages_with_first_next_and_previous_links_and_leaves_nothing_out(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    many_listings(sqlite_db, world.code, 150, notices=12)  # 162 items: more than a page of 100

    pages = feed_pages(client)

    assert [len(page.findall(f"{ATOM}entry")) for page in pages] == [100, 62]
    first, second = ({link.get("rel"): link.get("href") for link in page.findall(f"{ATOM}link")} for page in pages)
    assert first["first"] == second["first"] == first["self"] == "https://casework.example/register.atom?page=1"
    assert "previous" not in first and first["next"] == second["self"] == second["last"]
    assert second["previous"] == first["self"] and "next" not in second
    ids = [node.findtext(f"{ATOM}id") for page in pages for node in page.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == 162
    newest = pages[0].find(f"{ATOM}entry")
    assert newest is not None and newest.findtext(f"{ATOM}title") == "Owner's notice: Place 11"


def test_the_json_register_pages_by_its_links_and_the_bulk_downloads_hold_every_entry(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    many_listings(sqlite_db, world.code, 130, notices=0)

    references, url, pages = [], "/api/v1/register?council=BDC", 0
    while url:
        body = client.get(url.removeprefix("https://casework.example")).get_json()
        check_json(body["entries"])
        references += [entry["reference"] for entry in body["entries"]]
        url, pages = body["links"].get("next"), pages + 1
    assert pages == body["pages"] == 2 and body["total"] == 130
    assert body["links"]["previous"] == "https://casework.example/api/v1/register?council=BDC&page=1"
    assert sorted(references) == [f"ACV/{number:04d}" for number in range(130)]

    whole_csv = check_csv(client.get("/register.csv").get_data(as_text=True))
    whole_json = json.loads(client.get("/register.json").get_data(as_text=True))
    whole_geojson = json.loads(client.get("/register.geojson").get_data(as_text=True))
    assert len(whole_csv) == len(whole_json) == len(whole_geojson["features"]) == 130
    assert list(csv.reader(io.StringIO(client.get("/register.csv").get_data(as_text=True))))[-1][0] == "ACV/0129"


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5", "99999999999999999999", "1000001"])
def test_a_page_number_that_is_no_page_is_refused_with_a_reason_not_a_server_error(
    client: FlaskClient, sqlite_db: Database, page: str
) -> None:
    make_world(sqlite_db)

    feed = client.get(f"/register.atom?page={page}")
    api = client.get(f"/api/v1/register?page={page}")

    assert feed.status_code == api.status_code == 400
    assert "Give the page as a whole number from 1 to 1,000,000" in feed.get_data(as_text=True)
    assert api.mimetype == "application/problem+json"
    assert "Give the page as a whole number" in api.get_json()["detail"]


def test_a_page_past_the_last_says_how_many_there_are(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)

    feed = client.get("/register.atom?page=2")
    api = client.get("/api/v1/register?page=3")

    assert feed.status_code == api.status_code == 404
    assert "There is no page 2: there is 1 page" in feed.get_data(as_text=True)
    assert api.get_json()["detail"] == "There is no page 3: there is 1 page"
