"""Council admins change their policies through forms, prefilled from the newest version: no JSON to edit.

The page is read and sent back as a browser would (every field as shown, plus the button pressed), so what is
checked is what a person gets: their values kept, problems in an error summary linking to each field, rows
added and removed without JavaScript, and a new version only when everything is right.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.actors import SYSTEM
from casework.db import Database
from casework.examples import load
from casework.models import User
from casework.services import policies
from tests.factories import make_world
from tests.functional.web.conftest import sign_in_as
from tests.integration.test_transitions import row_counts

pytestmark = pytest.mark.integration
TRANSFER = "/admin/policies/new/asset_transfer"
CHALLENGE = "/admin/policies/new/challenge"


class _Fields(HTMLParser):
    """What a browser sends for the page's form: each field's name and value as shown, buttons left out."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name", "")
        if tag == "input" and name and found.get("type") not in ("submit", "checkbox", "radio"):
            self.fields.append((name, found.get("value", "")))
        elif tag == "input" and name and "checked" in found:
            self.fields.append((name, found.get("value", "y")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.fields.append((self._select, found.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def shown(html: str) -> dict[str, list[str]]:
    parser = _Fields()
    parser.feed(html.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0])
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


def send(client: FlaskClient, url: str, fields: dict[str, list[str]], button: tuple[str, str]) -> tuple[int, str]:
    response = client.post(url, data={**fields, button[0]: button[1]})
    return response.status_code, response.get_data(as_text=True)


def summary(html: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert box, "no error summary on the page"
    return re.findall(r'<a href="#([^"]*)">([^<]+)</a>', box.group(0))


PUBLISH = ("publish", "Publish this version")


@pytest.fixture
def admin(client: FlaskClient, sqlite_db: Database) -> FlaskClient:
    world = make_world(sqlite_db)
    policies.publish(
        sqlite_db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    policies.publish(sqlite_db, SYSTEM, "BDC", "challenge", load("challenge"), effective_from=date(2026, 1, 1))
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    return client


def test_an_admin_changes_a_weight_and_a_stage_adds_a_criterion_and_publishes_the_next_version(
    admin: FlaskClient, sqlite_db: Database
) -> None:
    fields = shown(admin.get(TRANSFER).get_data(as_text=True))
    assert fields["title"] == ["Example asset transfer policy modelled on Norwich City Council's published stages"]
    assert fields["criteria-0-weight"] == ["30"] and fields["periods-eoi_window-length"] == ["4"]

    fields |= {"criteria-0-weight": ["35"], "periods-eoi_window-length": ["6"], "title": ["Our asset transfer policy"]}
    fields["example"] = []  # the council's own figures now
    status, added = send(admin, TRANSFER, fields, ("add_criterion", "Add another criterion"))
    assert status == 200 and "There is a problem" not in added
    fields = shown(added)
    assert fields["criteria-0-weight"] == ["35"]  # what was typed stays
    new = max(int(name.split("-")[1]) for name in fields if name.startswith("criteria-"))
    fields |= {f"criteria-{new}-label": ["Environmental impact"], f"criteria-{new}-weight": ["5"]}
    status, page = send(admin, TRANSFER, fields, PUBLISH)

    assert status == 302, summary(page)
    [latest, first] = policies.versions(sqlite_db, "BDC", "asset_transfer")
    assert (latest.version, latest.title, latest.example) == (2, "Our asset transfer policy", False)
    document = json.loads(admin.get(f"/admin/policies/{latest.id}/policy.json").get_data(as_text=True))
    criteria = document["rubric"]["criteria"]
    assert criteria[0]["weight"] == 35 and criteria[-1] == {
        "id": "environmental_impact", "label": "Environmental impact", "weight": 5, "max_score": 5,
    }  # fmt: skip
    assert document["periods"]["eoi_window"]["length"] == 6
    original = load("cat_norwich_style")
    assert document["tenures"] == original["tenures"] and document["eoi_criteria"] == original["eoi_criteria"]
    assert first.version == 1  # the old version stays, for the cases that started under it


def test_every_problem_is_listed_once_linking_to_its_field_and_nothing_is_published(
    admin: FlaskClient, sqlite_db: Database
) -> None:
    fields = shown(admin.get(TRANSFER).get_data(as_text=True))
    fields |= {
        "criteria-1-weight": ["heavy"],
        "criteria-2-gate": ["y"],
        "criteria-2-pass_mark": [""],
        "pass_threshold": ["140"],
        "periods-decision-length": [""],
        "tenures": [],
        "decision_body": [""],
    }
    before = row_counts(sqlite_db)

    status, page = send(admin, TRANSFER, fields, PUBLISH)

    assert status == 400
    assert "<title>Error: " in page
    assert summary(page) == [
        ("periods-decision-length", "Enter the length of the stage \u201cProfessional advice and council report\u201d"),
        ("criteria-1-weight", "The weight of criterion 2 must be a number, like 25"),
        ("criteria-2-pass_mark", "Enter the pass mark of criterion 3, which is a gate"),
        ("pass_threshold", "The pass threshold must be a percentage from 0 to 100"),
        ("tenures", "Select at least one tenure the council offers"),
        ("decision_body", "Enter who decides"),
    ]
    assert re.search(r'name="criteria-1-weight"[^>]*value="heavy"', page)  # kept, to be corrected
    assert row_counts(sqlite_db) == before


PASS_MARK = (
    "The pass mark of criterion 1 (Outcomes, evidenced need and community benefit) must be from 0 to its "
    "highest score, 4"
)


def test_rules_of_the_policy_itself_come_back_beside_the_fields_they_are_about(admin: FlaskClient) -> None:
    fields = shown(admin.get(TRANSFER).get_data(as_text=True))
    weights = [name for name in fields if name.endswith("-weight")]
    fields |= {name: ["0"] for name in weights}
    fields |= {"criteria-0-max_score": ["4"], "criteria-0-gate": ["y"], "criteria-0-pass_mark": ["5"]}

    status, page = send(admin, TRANSFER, fields, PUBLISH)

    assert status == 400
    assert summary(page) == [
        ("criteria-0-weight", "The weights must add up to more than 0"),
        ("criteria-0-pass_mark", PASS_MARK),
    ]  # fmt: skip


def test_removing_a_row_renumbers_the_rest_and_keeps_what_was_typed(admin: FlaskClient) -> None:
    fields = shown(admin.get(TRANSFER).get_data(as_text=True))
    labels = [fields[f"criteria-{n}-label"][0] for n in range(3)]
    fields["criteria-2-weight"] = ["12"]

    status, page = send(admin, TRANSFER, fields, ("remove_criterion", "1"))

    after = shown(page)
    assert status == 200 and "There is a problem" not in page
    assert [after[f"criteria-{n}-label"][0] for n in range(2)] == [labels[0], labels[2]]
    assert after["criteria-1-weight"] == ["12"]
    assert 'Remove<span class="govuk-visually-hidden"> criterion 1</span>' in page


SERVICE_4 = "service 4, or none for all year"
EARLIEST = "The earliest start of procurement must not be later than the latest start"


def test_a_right_to_challenge_policy_gets_a_new_service_with_a_window_and_a_back_to_front_procurement_is_refused(
    admin: FlaskClient, sqlite_db: Database
) -> None:
    fields = shown(admin.get(CHALLENGE).get_data(as_text=True))
    assert fields["services-0-opens_day"] == ["1"] and fields["services-0-opens_month"] == ["3"]
    assert fields["services-2-opens_day"] == [""]  # parks: all year
    status, page = send(admin, CHALLENGE, fields, ("add_service", "Add another service"))
    fields = shown(page)
    fields |= {"services-3-name": ["Street cleaning"], "services-3-opens_day": ["1"], "services-3-opens_month": ["9"]}
    fields |= {"periods-procurement_earliest-length": ["9"]}

    status, page = send(admin, CHALLENGE, fields, PUBLISH)

    assert status == 400
    assert summary(page) == [("services-3-closes_day", f"Give both days and months of the window of {SERVICE_4}")]
    fields |= {"services-3-closes_day": ["31"], "services-3-closes_month": ["10"]}
    status, page = send(admin, CHALLENGE, fields, PUBLISH)
    assert status == 400
    assert summary(page) == [("periods-procurement_earliest-length", EARLIEST)]  # the policy's own rule, next
    fields |= {"periods-procurement_earliest-length": ["1"]}
    status, page = send(admin, CHALLENGE, fields, PUBLISH)
    assert status == 302, summary(page)
    latest = policies.versions(sqlite_db, "BDC", "challenge")[0]
    document = json.loads(admin.get(f"/admin/policies/{latest.id}/policy.json").get_data(as_text=True))
    assert document["services"][-1] == {
        "id": "street_cleaning", "name": "Street cleaning", "window": {"opens": "09-01", "closes": "10-31"},
    }  # fmt: skip
    assert document["services"][0] == load("challenge")["services"][0]  # unchanged rows as they were


def test_the_json_import_is_a_separate_page_and_each_version_downloads_as_the_json_it_was_published_from(
    admin: FlaskClient, sqlite_db: Database
) -> None:
    page = admin.get(TRANSFER).get_data(as_text=True)
    assert f'href="{TRANSFER}/json"' in page and "The policy, as JSON" not in page
    first = policies.versions(sqlite_db, "BDC", "asset_transfer")[0]

    download = admin.get(f"/admin/policies/{first.id}/policy.json")

    assert download.headers["Content-Disposition"] == 'attachment; filename="asset_transfer-policy-version-1.json"'
    assert json.loads(download.get_data(as_text=True)) == load("cat_norwich_style")
    detail = admin.get(f"/admin/policies/{first.id}").get_data(as_text=True)
    assert f'href="/admin/policies/{first.id}/policy.json"' in detail


def test_an_example_policys_own_title_and_notes_are_shown_to_admins_only(
    admin: FlaskClient, sqlite_db: Database
) -> None:
    example = policies.versions(sqlite_db, "BDC", "challenge")[0]
    admin_page = admin.get(f"/admin/policies/{example.id}").get_data(as_text=True)
    assert "Example right to challenge policy" in admin_page and "Newcastle-under-Lyme" in admin_page

    with sqlite_db.reader() as session:
        member_id = session.scalars(select(User.id).where(User.email == "member@bdc.example.org")).one()
    sign_in_as(admin, sqlite_db, member_id)
    group_page = admin.get("/community/challenges/new?council=BDC").get_data(as_text=True)

    assert "Borsetshire District Council&#39;s community right to challenge policy (version 1)" in group_page
    assert "Example" not in group_page and "Newcastle" not in group_page


BEFORE_THE_RIGHT = (
    "The first day new cases use it, Monday 1 January 1900, cannot be before Wednesday 27 June 2012, when the "
    "community right to challenge commenced (SI 2012/1313, in force 27 June 2012; LA 2011 Part 5 Ch.2)"
)
BEFORE_VERSION_1 = (
    "The first day new cases use it, Wednesday 31 December 2025, cannot be before Thursday 1 January 2026, "
    "the first day of version 1, which it follows"
)
BEFORE_TRANSFERS = (
    "The first day new cases use it, Monday 1 January 1900, cannot be before Sunday 1 January 2012, when this "
    "service's community asset transfer process commenced (council policy: community asset transfer in England is "
    "not set by statute)"
)


def test_a_version_cannot_start_before_the_regime_or_before_the_version_it_follows_and_nothing_is_published(
    admin: FlaskClient, sqlite_db: Database
) -> None:
    fields = shown(admin.get(CHALLENGE).get_data(as_text=True))

    status, page = send(admin, CHALLENGE, {**fields, "effective_from": ["1", "1", "1900"]}, PUBLISH)
    assert status == 400 and summary(page) == [("effective_from-day", BEFORE_THE_RIGHT)]
    status, page = send(admin, CHALLENGE, {**fields, "effective_from": ["31", "12", "2025"]}, PUBLISH)
    assert status == 400 and summary(page) == [("effective_from-day", BEFORE_VERSION_1)]
    assert [policy.version for policy in policies.versions(sqlite_db, "BDC", "challenge")] == [1]


def test_the_json_import_shows_a_first_day_before_the_regime_on_its_own_field(admin: FlaskClient) -> None:
    document = json.dumps(load("cat_norwich_style"))
    page = admin.post(f"{TRANSFER}/json", data={"document": document, "effective_from": ["1", "1", "1900"]})
    assert page.status_code == 400
    shown_errors = [(href, unescape(text)) for href, text in summary(page.get_data(as_text=True))]
    assert shown_errors == [("effective_from", BEFORE_TRANSFERS)]


def test_the_policies_page_tags_example_weights_only_on_a_policy_that_has_weights(admin: FlaskClient) -> None:
    page = admin.get("/admin/policies").get_data(as_text=True)
    transfer, challenge = page.split('<h2 class="govuk-heading-l">Community right to challenge</h2>')
    assert "Example weights" in transfer
    assert "Example weights" not in challenge and "Example policy" in challenge  # it scores nothing
