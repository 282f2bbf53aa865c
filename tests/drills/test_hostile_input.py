"""Hostile input against the whole web app: what a careless or malicious client sends, and what it must never get.

The regular tests check what each page should do; this drill throws what nobody should send at every door and
counts what broke. It runs on PostgreSQL, because that is where NUL bytes, huge numbers and real types bite:

- the JSON API fuzzed by schemathesis from its own OpenAPI document (no 500, and every answer as documented);
- every form the crawl finds, filled with oversized, malformed and injected text (no 500, a GOV.UK error summary
  where the input is refused, and nothing shown back unescaped);
- uploads that are too big, of the wrong kind or badly named (refused, or stored under a safe name);
- every POST route without its CSRF token, or with a wrong one (a clear 400, nothing written);
- every route, every method, with real ids from two councils, for every persona of test_access.py's matrix
  (no 500, and nobody sees another council's private pages);
- the security headers Talisman sets, with HSTS only over TLS.

Each area records how many cases it tried and how many failed (target 0), then asserts there were none, listing them.

The quick pass (`make test`) tries fewer of each: one example per API operation and mode, two payloads on
every form the access matrix's own pages hold (each payload in one way of filling it), two wrong CSRF tokens,
and every route with one set of the scene council's ids by the people of elsewhere; every upload and every
header check as in full.
"""

from __future__ import annotations

import io
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, literal, select, union_all
from werkzeug.datastructures import FileStorage as UploadedFile
from werkzeug.test import TestResponse, encode_multipart

from casework.actors import SYSTEM
from casework.adapters.smtp import SmtpMailer
from casework.adapters.storage import FileStorage
from casework.assets import AssetDetails
from casework.config import Settings
from casework.db import Database
from casework.examples import load
from casework.models import Base, Case, Council, Document, OutboxMessage
from casework.notifying import deliveries, notifications
from casework.queries import case_summary
from casework.services import (
    asset_transfers,
    casefile,
    credentials,
    documents,
    moratoria,
    nominations,
    policies,
)
from tests.drills.conftest import FULL, Figures, pace
from tests.factories import World, list_pub, pub_nomination
from tests.functional.web import scene as scenes
from tests.functional.web import test_access
from tests.functional.web.conftest import csrf_token, make_app, sign_in_as
from tests.functional.web.scene import PERSONAS, Scene
from tests.functional.web.test_access import POSTS, ROUTES
from tests.fuzzing import each_generated
from tests.mailserver import start_mail_server
from workflows.roles import Role

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

PDF = scenes.PDF
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "x{{7*7}}y"
RAW_MARKERS = {SCRIPT: "a raw <script>", "<img src=x onerror=alert(1)>": "a raw <img onerror>", "x49y": "{{7*7}} run"}
HTML_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/xml")
SECRET = "SECRET-NOTE-{code}"  # an internal case note: only that council's staff may ever see it


@pytest.fixture
def sqlite_db(pg_db: Database) -> Database:
    """test_access's `scene` asks for `sqlite_db`; the drills hand it PostgreSQL, the production database."""
    return pg_db


@pytest.fixture
def app(pg_db: Database, tmp_path: Path) -> Flask:
    return make_app(pg_db, tmp_path)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


scene = scenes.scene  # the two councils, their people and their cases, exactly as the access matrix walks them


@dataclass
class Failures:
    """What one area tried and what broke, recorded as figures as it goes (every failure, every 200 tries),
    so a drill that stops early still leaves them, and asserted empty at the end."""

    drill: str
    figures: Figures
    unit: str = "cases tried"
    tried: int = 0
    found: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        self.tried += 1
        if not ok and len(self.found) < 500:
            self.found.append(what)
        if not ok or self.tried % 200 == 0:
            self.record()

    def record(self) -> None:
        self.figures.record(self.drill, self.unit, self.tried, "> 0", self.tried > 0)
        self.figures.record(self.drill, "failures", len(self.found), "0", not self.found)

    def report(self) -> None:
        self.record()
        assert self.tried > 0, f"{self.drill}: nothing was tried"
        assert not self.found, f"{self.drill}: {len(self.found)} failures:\n" + "\n".join(sorted(set(self.found))[:80])


def row_counts(db: Database) -> dict[str, int]:
    """How many rows every table holds, in one round trip: "nothing was written" is this, unchanged."""
    query = union_all(*(select(literal(t.name), func.count()).select_from(t) for t in Base.metadata.sorted_tables))
    with db.reader() as session:
        return {row[0]: row[1] for row in session.execute(query)}


def multipart(content: bytes, filename: str, description: str) -> dict[str, Any]:
    """A form with a file, encoded in memory (the test client spools big bodies to a file it never closes)."""
    upload = UploadedFile(io.BytesIO(content), filename=filename, content_type="application/octet-stream")
    boundary, body = encode_multipart({"file": upload, "description": description})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


# -- the other council's data, so every id can come from either council ------------------------------------------


@dataclass(frozen=True)
class Ids:
    """Real values for every kind of URL parameter, all belonging to one council."""

    code: str
    listing: str
    cycle: str
    draft: str
    application: str
    asset: uuid.UUID
    offered: uuid.UUID
    group: uuid.UUID
    public_doc: uuid.UUID
    private_doc: uuid.UUID
    policy: uuid.UUID
    officer: uuid.UUID
    token: uuid.UUID
    unsubscribe: str


def _secret_note(db: Database, world: World, reference: str) -> None:
    case_id = case_summary_id(db, reference)
    casefile.add_note(db, world.officer, case_id, SECRET.format(code=world.code))


def case_summary_id(db: Database, reference: str) -> uuid.UUID:
    with db.reader() as session:
        return session.scalars(select(Case.id).where(Case.reference == reference)).one()


def own_ids(db: Database, scene: Scene) -> Ids:
    world = scene.world
    assert world.officer.user_id is not None
    _secret_note(db, world, scene.listing)
    token = credentials.create_api_token(db, world.officer.user_id, "drill", Role.OFFICER, council_code=world.code)
    return Ids(
        world.code, scene.listing, scene.cycle, scene.draft, scene.application, scene.asset, scene.offered,
        scene.group, scene.public_doc, scene.private_doc, scene.policy, world.officer.user_id, token.id,
        scene.unsubscribe,
    )  # fmt: skip


def other_ids(db: Database, storage: FileStorage, other: World) -> Ids:
    """The same kinds of thing as the scene holds, in the other council (XDC)."""
    assert other.officer.user_id is not None
    listing_id = list_pub(db, other, name="The Swan", uprn="200012345678")
    listing = case_summary(db, listing_id)
    assert listing.asset_id is not None
    _secret_note(db, other, listing.reference)
    cycle = moratoria.record_owner_notice(
        db, other.owner, listing.asset_id, received_on=date(2026, 4, 1), notice_method="post",
        disposal_type="freehold", vacant_possession=True, now=datetime(2026, 4, 1, 12, tzinfo=UTC),
    )  # fmt: skip
    draft = nominations.save_draft(db, other.member, other.council_id, other.group_id, pub_nomination(uprn=None))
    public_doc = documents.upload(
        db, storage, other.officer, filename="x.pdf", content=PDF, case_id=listing_id, public=True
    )
    private_doc = documents.upload(db, storage, other.officer, filename="memo.pdf", content=PDF, case_id=listing_id)
    policy = policies.publish(
        db, SYSTEM, other.code, "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    offered = asset_transfers.offer_asset(db, other.officer, AssetDetails(name="Loxley Hall", address="Loxley"))
    application = asset_transfers.start_application(
        db, other.member, offered, other.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="A hall",
        tenure_sought="lease", now=datetime(2026, 3, 2, 10, tzinfo=UTC),
    )  # fmt: skip
    with db.transaction() as session:
        session.get_one(Case, application.case_id).state = "panel_assessment"
    token = credentials.create_api_token(db, other.officer.user_id, "drill", Role.OFFICER, council_code=other.code)
    return Ids(
        other.code, listing.reference, cycle.reference, case_summary(db, draft).reference, application.reference,
        listing.asset_id, offered, other.group_id, public_doc, private_doc, policy.id, other.officer.user_id,
        token.id, "not-a-token",
    )  # fmt: skip


# -- 1. the API, fuzzed from its own OpenAPI document ------------------------------------------------------------

API_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = pace(25, 1)  # per operation, per generation mode, per source of path parameters


def test_the_api_answers_every_generated_request_as_its_openapi_document_says(
    app: Flask, pg_db: Database, scene: Scene, figures: Figures
) -> None:
    ids = own_ids(pg_db, scene)
    assert scene.world.officer.user_id is not None
    token = credentials.create_api_token(
        pg_db, scene.world.officer.user_id, "schemathesis", Role.OFFICER, council_code=scene.world.code
    ).token
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    real = {"reference": ids.listing, "asset_id": str(ids.asset), "rule": "moratorium.full", "name": "decisions",
            "group_id": str(ids.group), "organisation_id": str(ids.group)}  # fmt: skip
    outcome = Failures("hostile input: API (schemathesis)", figures, "examples run")
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document has an invalid operation: {result.err()}"
        operation = result.ok()
        operations += 1
        names = {p.name for p in operation.path_parameters}
        sources: list[dict[str, Any] | None] = [None]
        if names:
            sources.append({name: real[name] for name in names})
        for mode, path_parameters in itertools.product(schemathesis.GenerationMode, sources):
            _fuzz_operation(operation, mode, path_parameters, token, outcome)
    figures.record(outcome.drill, "operations tested", operations, "every documented one", operations >= 15)
    outcome.report()


def _fuzz_operation(
    operation: Any, mode: Any, path_parameters: dict[str, Any] | None, token: str, outcome: Failures
) -> None:
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        try:
            case.validate_response(response, checks=API_CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                message = " ".join(str(failure.message).split())[:300]
                outcome.check(False, f"{operation.label} [{mode.value}]: {failure.title}: {message}")
            return
        outcome.check(True, "")

    each_generated(operation, mode, path_parameters, EXAMPLES, check)


# -- 2. every form, filled with hostile text ---------------------------------------------------------------------


@dataclass
class Form:
    page: str
    persona: str
    action: str
    method: str
    multipart: bool
    fields: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # name: (kind, the values offered)


class FormsAndLinks(HTMLParser):
    """The forms on a page with their fields, and the site's own links."""

    def __init__(self, page: str, persona: str) -> None:
        super().__init__()
        self.page, self.persona = page, persona
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            action = a.get("action") or self.page
            multipart = a.get("enctype") == "multipart/form-data"
            self.forms.append(Form(self.page, self.persona, action, a.get("method", "get").lower(), multipart))
        elif self.forms and tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            known = self.forms[-1].fields.setdefault(a["name"], (kind, []))
            if "value" in a:
                known[1].append(a["value"])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select and self.forms:
            self.forms[-1].fields[self._select][1].append(a.get("value", ""))


CHOICES = ("radio", "checkbox", "select", "submit", "button")
CRAWL_DEPTH = pace(1, 0)  # links followed beyond the pages the access matrix opens (the quick pass: none)


@dataclass(frozen=True)
class Payload:
    name: str
    value: Callable[[str], bytes]  # the bytes sent for a field of this name
    text: bool = True  # False: not valid UTF-8, so only sent url-encoded


def _date_part(name: str) -> bytes:
    parts = {"day": b"31", "month": b"2", "year": b"2026"}
    return next((value for suffix, value in parts.items() if name.endswith(suffix)), b"-1")


PAYLOADS = (
    Payload("oversized", lambda _: b"A" * 100_000),
    Payload("script", lambda _: SCRIPT.encode()),
    Payload("attribute breakout", lambda _: IMG.encode()),
    Payload("template", lambda _: TEMPLATE.encode()),
    Payload("sql quotes", lambda _: b'O\'Brien\'); DROP TABLE cases; --" OR "1"="1'),
    Payload("NUL byte", lambda _: b"The Bull\x00<script>"),
    Payload("invalid UTF-8", lambda _: b"\xff\xfe\xc3(", text=False),
    Payload("lone surrogate", lambda _: b"\xed\xa0\x80 surrogate", text=False),
    Payload("negative number", lambda _: b"-1"),
    Payload("huge number", lambda _: b"99999999999999999999999999"),
    Payload("31 February and negatives", _date_part),
    Payload("unicode controls", lambda _: "\u202egnp.exe\u200b\ufeff".encode()),
)


QUICK_PAYLOADS = {"script": "typed fields hostile", "NUL byte": "every field hostile"}  # the quick pass: markup
# shown back, and a byte the database refuses, each filled in one way

KEEP = {  # which fields keep the value the page offered: the rest get the payload
    "typed fields hostile": (*CHOICES, "hidden"),
    "every field hostile": ("submit", "button"),
}


def _answers(form: Form, payload: Payload, keep: tuple[str, ...]) -> list[tuple[str, bytes]]:
    answers = []
    for name, (kind, offered) in form.fields.items():
        if name == "csrf_token" or kind == "file":
            continue
        if kind in keep:
            answers.append((name, (offered[0] if offered else "").encode()))
        else:
            answers.append((name, payload.value(name)))
    return answers


def _problems(response: TestResponse, where: str, *, refused_needs_summary: bool = True) -> list[str]:
    """What is wrong with one answer: a server error, a refusal without its summary, or hostile text shown raw."""
    found = []
    if response.status_code >= 500:
        found.append(f"{where}: {response.status_code}")
    body = response.get_data(as_text=True)
    if response.mimetype in HTML_TYPES:
        found += [f"{where}: {what} in the page" for marker, what in RAW_MARKERS.items() if marker in body]
        refused = response.status_code in (400, 422) and "govuk-form-group" in body  # the form, shown back
        if refused_needs_summary and (refused or "govuk-error-message" in body) and "govuk-error-summary" not in body:
            found.append(f"{where}: {response.status_code} refusal without a GOV.UK error summary")
    return found


def _crawl(client: FlaskClient, db: Database, scene: Scene) -> tuple[dict[tuple[str, str], Form], set[tuple[str, str]]]:
    """Every form on every page each persona can open, and the site's links one step beyond them (in full)."""
    forms: dict[tuple[str, str], Form] = {}
    visited: set[tuple[str, str]] = set()
    for persona in PERSONAS:
        user_id, role = scene.people[persona]
        start = [test_access._fill(path, scene) for _, path, expected in ROUTES if expected[persona] == 200]
        queue, depth = [(url, 0) for url in start], {}
        while queue:
            url, level = queue.pop(0)
            if (persona, url) in visited or any(s in url for s in ("/assets/", ".csv", ".ics", "/documents/")):
                continue
            visited.add((persona, url))
            sign_in_as(client, db, user_id, role)
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = FormsAndLinks(urlsplit(url).path, persona)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                forms.setdefault((form.action, ",".join(sorted(form.fields))), form)
            if level < CRAWL_DEPTH:
                queue += [(link, level + 1) for link in parser.links if link not in depth]
                depth.update(dict.fromkeys(parser.links, level + 1))
    return forms, visited


def _submit(client: FlaskClient, form: Form, answers: list[tuple[str, bytes]], payload: Payload) -> TestResponse:
    if form.method == "get":
        query = "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in answers)
        return client.get(urlsplit(form.action).path, query_string=query, follow_redirects=True)
    if form.multipart:
        data: dict[str, Any] = {name: value.decode() for name, value in answers}
        for name, (kind, _) in form.fields.items():
            if kind == "file":
                data[name] = (io.BytesIO(PDF), payload.value(name).decode()[:300] + ".pdf")
        return client.post(form.action, data=data, content_type="multipart/form-data", follow_redirects=True)
    body = "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in answers)
    return client.post(form.action, data=body, content_type="application/x-www-form-urlencoded", follow_redirects=True)


def test_every_form_refuses_hostile_text_clearly_and_never_shows_it_back_raw(
    client: FlaskClient, pg_db: Database, scene: Scene, figures: Figures
) -> None:
    own_ids(pg_db, scene)
    forms, visited = _crawl(client, pg_db, scene)
    cases_before = _case_references(pg_db)
    outcome = Failures("hostile input: forms", figures, "submissions, pages and emails checked")
    figures.record(outcome.drill, "forms found", len(forms), "> 20", len(forms) > 20)
    figures.record(outcome.drill, "pages crawled", len(visited), "> 100", len(visited) > 100)
    tries = [(payload, keep) for payload in PAYLOADS for keep in KEEP.values()]
    if not FULL:
        tries = [(p, KEEP[QUICK_PAYLOADS[p.name]]) for p in PAYLOADS if p.name in QUICK_PAYLOADS]
    for form, (payload, keep) in itertools.product(forms.values(), tries):
        if form.multipart and not payload.text:
            continue
        if form.action.endswith(("/sign-out", "/sign-out-everywhere")):
            continue  # nothing to fill; signing out is what it does
        user_id, role = scene.people[form.persona]
        sign_in_as(client, pg_db, user_id, role)
        response = _submit(client, form, _answers(form, payload, keep), payload)
        where = f"{form.method.upper()} {form.action} as {form.persona} with {payload.name}"
        outcome.check(not _problems(response, where), "; ".join(_problems(response, where)))
    # What was stored, shown back: every page crawled before, every page a crawl finds now (the fuzz made cases,
    # notes, groups, entries and drafts), and every page of every case the fuzz made, as each persona who may see it.
    _, now_visited = _crawl(client, pg_db, scene)
    made = sorted(_case_references(pg_db) - cases_before)
    pages = sorted(visited | now_visited | _case_pages(made))
    figures.record(outcome.drill, "cases the fuzz made", len(made), "> 0", bool(made))
    figures.record(outcome.drill, "pages checked after the fuzz (the fuzz's own included)", len(pages), "> crawled",
                   len(pages) > len(visited))  # fmt: skip
    new = 0  # pages the fuzz made: not there before it, shown now
    for persona, url in pages:
        user_id, role = scene.people[persona]
        sign_in_as(client, pg_db, user_id, role)
        response = client.get(url)
        new += response.status_code == 200 and (persona, url) not in visited
        problems = _problems(response, f"GET {url} as {persona} after the fuzz", refused_needs_summary=False)
        outcome.check(not problems, "; ".join(problems))
    figures.record(outcome.drill, "of those, pages the fuzz made (new, shown)", new, "> 0", new > 0)
    emails = _send_the_notices(pg_db, outcome)
    figures.record(outcome.drill, "notice emails the fuzz caused, sent and checked", emails, "> 0", emails > 0)
    outcome.report()


def _case_references(db: Database) -> set[tuple[str, str]]:
    with db.reader() as session:
        return {(row.code, row.reference) for row in session.execute(select(Council.code, Case.reference).join(
            Council, Council.id == Case.council_id))}  # fmt: skip


CASE_PAGES = (  # where a case is shown, and who may look there (the others are refused, which is checked elsewhere)
    ("/officer/cases/{reference}", ("officer", "officer_elsewhere")),
    ("/cases/{reference}", ("member", "owner", "stranger", "other_owner")),
    ("/register/{code}/{reference}", ("anonymous",)),
)


def _case_pages(made: list[tuple[str, str]]) -> set[tuple[str, str]]:
    return {
        (persona, page.format(code=code, reference=reference))
        for code, reference in made
        for page, personas in CASE_PAGES
        for persona in personas
    }


def _send_the_notices(db: Database, outcome: Failures) -> int:
    """Every notice the fuzz caused, turned into emails by the worker's own services and sent to a real SMTP
    server: nothing hostile may arrive raw in an HTML part, and no template may run in any part or subject."""
    server, controller = start_mail_server()
    smtp_url = f"smtp://127.0.0.1:{controller.port}"
    settings = Settings(database_url=str(db.url), smtp_url=smtp_url, base_url="https://casework.example")
    mailer = SmtpMailer(smtp_url, settings.mail_from)  # what mailer_for gives the worker for these settings
    try:
        with db.reader() as session:
            waiting = session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.processed_at.is_(None)).order_by(OutboxMessage.created_at)
            ).all()
        for message_id in waiting:
            try:
                for delivery_id in notifications.plan_deliveries(db, message_id, settings):
                    deliveries.deliver(db, delivery_id, mailer)
            except Exception as exc:  # a notice the fuzz's text made unsendable is a finding, not a crash of the drill
                outcome.check(False, f"outbox message {message_id}: {type(exc).__name__}: {str(exc)[:200]}")
        with server.lock:
            received = list(server.received)
    finally:
        mailer.close()  # a mailer keeps its connection open between emails
        controller.stop()
    for item in received:
        where = f"email {item.subject[:60]!r} to {', '.join(item.recipients)}"
        html = _html(item.message)
        problems = [f"{where}: {what} in its HTML" for marker, what in RAW_MARKERS.items() if marker in html]
        if "x49y" in item.text or "x49y" in item.subject:
            problems.append(f"{where}: {{{{7*7}}}} run in its text or subject")
        outcome.check(bool(html) and not problems, "; ".join(problems) or f"{where}: no HTML part")
    return len(received)


def _html(message: Message) -> str:
    """The message's HTML parts, decoded (tests/mailserver.py parses with email.policy.default: EmailMessage parts)."""
    parts = [part for part in message.walk() if part.get_content_type() == "text/html"]
    assert all(isinstance(part, EmailMessage) for part in parts), "an email not parsed with email.policy.default"
    return "".join(str(part.get_content()) for part in parts if isinstance(part, EmailMessage))


# -- 3. uploads --------------------------------------------------------------------------------------------------

PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 100
REFUSED_FILES = {  # (content, name): what the page must say
    "empty": (b"", "empty.pdf", "The selected file is empty"),
    "over the 10 MB limit": (PDF + b"0" * (10 * 1024 * 1024), "big.pdf", "smaller than 10 MB"),
    "a Windows program": (PE, "setup.exe", "must be a PDF"),
    "a Windows program named .pdf": (PE, "report.pdf", "must be a PDF"),
    "a Linux program named .pdf": (ELF, "report.pdf", "must be a PDF"),
    "an HTML page named .pdf": (b"<html><script>alert(1)</script></html>", "page.pdf", "must be a PDF"),
    "a shell script named .png": (b"#!/bin/sh\nrm -rf /\n", "photo.png", "must be a PDF"),
}
HOSTILE_NAMES = (
    "../../etc/passwd",
    "..\\..\\windows\\system32\\report.pdf",
    "/etc/cron.d/evil.pdf",
    "evidence\x00.exe",
    "A" * 5000 + ".pdf",
    "invoice\u202efdp.exe",
    "Доказательство для совета.pdf",
    SCRIPT + ".pdf",
    "CON.pdf",
    ".htaccess",
)
UPLOAD_FORMS = (  # where each kind of person sends a file, and who
    ("officer", "/officer/cases/{listing}/documents"),
    ("member", "/community/groups/{group}/evidence"),
)


def test_every_hostile_upload_is_refused_clearly_or_stored_safely(
    client: FlaskClient, app: Flask, pg_db: Database, scene: Scene, tmp_path: Path, figures: Figures
) -> None:
    outcome = Failures("hostile input: uploads", figures)
    root = Path(app.extensions["casework_storage"].root).resolve()
    for persona, path in UPLOAD_FORMS:
        url = test_access._fill(path, scene)
        user_id, role = scene.people[persona]
        for what, (content, name, message) in REFUSED_FILES.items():
            sign_in_as(client, pg_db, user_id, role)
            before = row_counts(pg_db)
            response = client.post(url, **multipart(content, name, what))
            where = f"{url} as {persona} with {what}"
            page = response.get_data(as_text=True)
            outcome.check(response.status_code == 400, f"{where}: {response.status_code}, not 400")
            outcome.check("govuk-error-summary" in page and message in page, f"{where}: no summary saying {message!r}")
            outcome.check(row_counts(pg_db) == before, f"{where}: something was written")
        sign_in_as(client, pg_db, user_id, role)  # up to 40 MB the form comes back with its error on the file
        big = client.post(url, **multipart(PDF + b"0" * (13 * 1024 * 1024), "big.pdf", "13 MB"))
        outcome.check(big.status_code == 400, f"{url} with 13 MB: {big.status_code}, not 400")
        outcome.check("smaller than 10 MB" in big.get_data(as_text=True), f"{url} with 13 MB: no summary saying why")
        sign_in_as(client, pg_db, user_id, role)  # beyond, the request is refused before it is read
        too_big = client.post(url, **multipart(PDF + b"0" * (41 * 1024 * 1024), "huge.pdf", "over the request limit"))
        outcome.check(too_big.status_code == 413, f"{url} with 41 MB: {too_big.status_code}, not 413")
        outcome.check("The file is too big" in too_big.get_data(as_text=True), f"{url} with 41 MB: no clear page")
        for name in HOSTILE_NAMES:
            sign_in_as(client, pg_db, user_id, role)
            response = client.post(url, **multipart(PDF, name, "hostile name"))
            where = f"{url} as {persona} named {name[:40]!r}"
            outcome.check(response.status_code in (302, 400), f"{where}: {response.status_code}")
            outcome.check(not _problems(response, where), "; ".join(_problems(response, where)))
    with pg_db.reader() as session:
        stored = session.scalars(select(Document).where(Document.description == "hostile name")).all()
        for document in stored:
            name, key = document.filename, document.storage_key
            safe = re.fullmatch(r"[\w\s().,-]{1,120}\.pdf", name) is not None and not name.startswith(".")
            outcome.check(safe, f"stored under an unsafe name: {name[:60]!r}")
            outcome.check(root in (root / key).resolve().parents, f"stored outside the upload folder: {key}")
            outcome.check(re.fullmatch(r"[0-9a-f-]{36}/[0-9a-f-]{36}\.pdf", key) is not None, f"stored as {key!r}")
            outcome.check((root / key).read_bytes() == PDF, f"{key} does not hold what was sent")
            sign_in_as(client, pg_db, scene.world.officer.user_id, f"officer:{scene.world.code}")
            download = client.get(f"/documents/{document.id}")
            disposition = download.headers.get("Content-Disposition", "")
            outcome.check(download.status_code == 200, f"{name[:40]!r} cannot be downloaded: {download.status_code}")
            outcome.check(
                not any(c in disposition for c in "/\\\x00\u202e") and disposition.isascii() and download.data == PDF,
                f"{name[:40]!r} downloads as {disposition[:80]!r} (a WSGI header must be plain ASCII/Latin-1)",
            )
    outcome.check(len(stored) == len(HOSTILE_NAMES) * len(UPLOAD_FORMS), f"only {len(stored)} good files stored")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and root not in p.resolve().parents]
    outcome.check(all(p.suffix == ".db" or "mail" in p.parts for p in written), f"files outside uploads: {written}")
    outcome.report()


# -- 4. CSRF -----------------------------------------------------------------------------------------------------

ARGUMENTS: dict[str, Callable[[Ids], list[str]]] = {  # real values for each URL parameter, from one council
    "reference": lambda i: [i.listing, i.cycle, i.draft, i.application],
    "group_id": lambda i: [str(i.group)],
    "organisation_id": lambda i: [str(i.group)],
    "asset_id": lambda i: [str(i.asset), str(i.offered)],
    "document_id": lambda i: [str(i.public_doc), str(i.private_doc)],
    "policy_id": lambda i: [str(i.policy)],
    "user_id": lambda i: [str(i.officer)],
    "token_id": lambda i: [str(i.token)],
    "token": lambda i: [i.unsubscribe],
    "council": lambda i: [i.code],
    "code": lambda i: [i.code, "NOPE"],  # a council's logo: this one has none, and no such council
    "trigger": lambda i: ["request_review", "remove", "consider", "list"],
    "step": lambda i: ["asset", "owners"],
    "criterion": lambda i: ["benefit"],
    "role": lambda i: ["officer"],
    "day": lambda i: ["2026-12-25", "not-a-day"],
    "workflow": lambda i: ["challenge", "asset_transfer"],
    "name": lambda i: ["moratorium", "decisions"],
    "version": lambda i: ["1"],
    "rule": lambda i: ["moratorium.full"],
    "filename": lambda i: ["../../pyproject.toml"],
    "kind": lambda i: ["deadline", "notice", "delivery"],  # a problem shown on the case page, tried again
    "item_id": lambda i: [str(i.token)],  # the scene has no failed deadline or notice: each answers 404, to all
    "upload_id": lambda i: [str(i.token)],  # nor a register upload or import job: 404 to all, as above
    "job_id": lambda i: [str(i.token)],
    "letter_id": lambda i: [str(i.token)],  # nor a letter or a delivery to write by post: 404 to all, as above
    "delivery_id": lambda i: [str(i.token)],
}


def _urls(app: Flask, ids: Ids) -> Iterator[tuple[str, str, str, bool]]:
    """(endpoint, method, url, whether the url names the council's things) for every rule and method, each
    parameter filled with this council's real values: every combination of them, or the first in the quick pass."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        names = sorted(rule.arguments)
        combinations = itertools.product(*(ARGUMENTS[name](ids) for name in names))
        for values in combinations if FULL else itertools.islice(combinations, 1):
            url = rule.rule
            for name, value in zip(names, values, strict=True):
                url = re.sub(rf"<(?:[^:>]+:)?{name}>", value, url)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url, bool(names)


CSRF_EXEMPT = {  # POST routes that take no form token on purpose, each with why
    "public.unsubscribe": "RFC 8058 one-click unsubscribe: mail clients post with no page; the URL token is the key",
}
CSRF_PERSONA = {"officer": "officer", "admin": "admin", "community": "member", "owner": "owner"}  # who may post there
WRONG_TOKENS: tuple[str | None, ...] = (None, "", "wrong", "IjEyMyI.ZmFrZQ.c2lnbmF0dXJl")  # none, empty, garbage,
if not FULL:  # well-formed but unsigned; the quick pass: none and garbage
    WRONG_TOKENS = WRONG_TOKENS[::2]


def test_every_post_without_its_csrf_token_is_refused_with_a_clear_page_and_writes_nothing(
    pg_db: Database, scene: Scene, tmp_path: Path, figures: Figures
) -> None:
    app = make_app(pg_db, tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    ids = own_ids(pg_db, scene)
    outcome = Failures("hostile input: CSRF", figures)
    posts: dict[str, str] = {}  # one real URL per endpoint: the token check comes before anything else
    for endpoint, method, url, _ in _urls(app, ids):
        if method == "POST" and not endpoint.startswith("api.") and endpoint not in CSRF_EXEMPT:
            posts.setdefault(endpoint, url)  # the API is exempt: bearer tokens, never cookies (test_api.py)
    with app.test_client() as client:
        for endpoint, url in posts.items():
            for persona, token in itertools.product(
                {"anonymous", CSRF_PERSONA.get(endpoint.split(".")[0], "member")}, WRONG_TOKENS
            ):
                user_id, role = scene.people[persona]
                sign_in_as(client, pg_db, user_id, role)
                before = row_counts(pg_db)
                data = {"text": "A note", "version": "1", "name": "Drill"}
                response = client.post(url, data=data if token is None else {**data, "csrf_token": token})
                where = f"POST {url} as {persona} with token {token!r}"
                outcome.check(response.status_code == 400, f"{where}: {response.status_code}")
                outcome.check("The page had expired" in response.get_data(as_text=True), f"{where}: no clear page")
                outcome.check(row_counts(pg_db) == before, f"{where}: something was written")
        # The control: the same kind of request with the page's own token does get through.
        sign_in_as(client, pg_db, scene.world.officer.user_id, f"officer:{scene.world.code}")
        page = client.get(f"/officer/cases/{ids.listing}").get_data(as_text=True)
        events = row_counts(pg_db)["case_events"]
        sent = client.post(
            f"/officer/cases/{ids.listing}/notes", data={"text": "A note", "csrf_token": csrf_token(page)}
        )
        outcome.check(sent.status_code == 302, f"a note with the right token was refused: {sent.status_code}")
        outcome.check(row_counts(pg_db)["case_events"] == events + 1, "a note with the right token was not written")
    figures.record(outcome.drill, "POST routes", len(posts), "every non-API one", len(posts) > 25)
    figures.record(outcome.drill, "exempt on purpose", len(CSRF_EXEMPT), "each explained", True)
    outcome.report()


# -- 5. every route, every method, every persona, ids from both councils ------------------------------------------

OWN = ("member", "owner", "officer", "reviewer", "admin")  # the scene's own council (BDC)
ELSEWHERE = ("stranger", "other_owner", "officer_elsewhere", "admin_elsewhere")  # the other council (XDC), or none
COUNTERPART = {"member": "stranger", "owner": "other_owner", "officer": "officer_elsewhere",
               "reviewer": "officer_elsewhere", "admin": "admin_elsewhere"}  # fmt: skip
MATRIX = {endpoint: expected for endpoint, _, expected in [*ROUTES, *POSTS]}


def _may_see_elsewhere(endpoint: str, persona: str) -> bool:
    """Whether the access matrix lets someone from another council (or none) open this route on our data."""
    if endpoint in MATRIX:
        return MATRIX[endpoint][persona] == 200
    return False  # a POST-only route of one council's case, group or land: never for anyone else


# Writes that are the signed-in person's own, whoever they are, and name nothing of any council's: signing out (here
# or everywhere) deletes their session rows; asking for a link to confirm their email address stores the link's
# digest and queues the email to that address.
OWN_WRITES = {
    "account.sign_out": ("user_sessions",),
    "account.sign_out_everywhere": ("user_sessions",),
    "account.send_confirmation": ("email_confirmations", "outbox_messages"),
}


def test_no_route_fails_or_shows_another_councils_private_data_to_anyone(
    app: Flask, client: FlaskClient, pg_db: Database, scene: Scene, figures: Figures
) -> None:
    storage: FileStorage = app.extensions["casework_storage"]
    councils = {"own": own_ids(pg_db, scene)}
    if FULL:  # the quick pass: the scene's council only, as seen from elsewhere (the other way round is the same)
        councils["other"] = other_ids(pg_db, storage, scene.other)
    outcome = Failures("hostile input: routes x roles x councils", figures, "requests")
    for whose, ids in councils.items():
        secret = SECRET.format(code=ids.code)
        strangers = ELSEWHERE if whose == "own" else OWN
        for endpoint, method, url, names_things in _urls(app, ids):
            for persona in PERSONAS if FULL else strangers:  # the quick pass: those who must not see it
                user_id, role = scene.people[persona]
                sign_in_as(client, pg_db, user_id, role)
                counted = method == "POST" and persona in strangers
                before = row_counts(pg_db) if counted else {}
                response = client.open(url, method=method, data={"text": "A note", "version": "1"})
                where = f"{method} {url} ({whose} council) as {persona}"
                outcome.check(response.status_code < 500, f"{where}: {response.status_code}")
                if persona not in strangers:
                    continue
                mirror = persona if whose == "own" else COUNTERPART[persona]
                leak = names_things and response.status_code == 200 and not _may_see_elsewhere(endpoint, mirror)
                outcome.check(not leak, f"{where}: 200")
                outcome.check(secret not in response.get_data(as_text=True), f"{where}: shows the internal note")
                if counted:
                    after = row_counts(pg_db)
                    for table in OWN_WRITES.get(endpoint, ()):  # the stranger's own: theirs to write
                        before.pop(table), after.pop(table)
                    outcome.check(after == before, f"{where}: something was written")
    figures.record(outcome.drill, "rules", len(list(app.url_map.iter_rules())), "every one", True)
    outcome.report()


# -- 6. security headers -----------------------------------------------------------------------------------------

PAGES = ("/", "/register", "/account/sign-in", "/officer/cases", "/no-such-page", "/api/v1/register", "/healthz")


def test_every_page_carries_the_security_headers_and_hsts_only_over_tls(
    client: FlaskClient, pg_db: Database, scene: Scene, figures: Figures
) -> None:
    outcome = Failures("hostile input: security headers", figures)
    for persona, page, scheme in itertools.product(("anonymous", "officer"), PAGES, ("http", "https")):
        user_id, role = scene.people[persona]
        sign_in_as(client, pg_db, user_id, role)
        headers = client.get(page, base_url=f"{scheme}://casework.example").headers
        where = f"{scheme} GET {page} as {persona}"
        policy = headers.get("Content-Security-Policy", "")
        outcome.check("frame-ancestors 'none'" in policy, f"{where}: CSP without frame-ancestors: {policy!r}")
        outcome.check("object-src 'none'" in policy and "base-uri" in policy, f"{where}: CSP too loose: {policy!r}")
        outcome.check("'unsafe-inline'" not in policy, f"{where}: CSP allows inline script")
        outcome.check(headers.get("X-Frame-Options") == "DENY", f"{where}: X-Frame-Options")
        outcome.check(headers.get("X-Content-Type-Options") == "nosniff", f"{where}: X-Content-Type-Options")
        outcome.check(headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", f"{where}: Referrer-Policy")
        hsts = headers.get("Strict-Transport-Security")
        if scheme == "https":
            age = re.search(r"max-age=(\d+)", hsts or "")
            outcome.check(age is not None and int(age.group(1)) >= 31_536_000, f"{where}: HSTS {hsts!r}")
        else:
            outcome.check(hsts is None, f"{where}: HSTS over plain http: {hsts!r}")
    outcome.report()
