"""A new version of a process is new data and nothing else: a version 2 of the moratorium, defined only here.

The shape the English Devolution and Community Empowerment Bill (as introduced) proposes for a community right to
buy: the full moratorium runs 12 months, and in it the owner offers the land to the group that asked to bid, which
accepts (and the sale to it is recorded), or declines or lets the time to answer lapse (the moratorium runs on).
A case runs end to end under it through the services and the web forms, and a running version 1 case is moved to
it: a dry run of `casework migrate-cases` shows its dates, and the audited migration moves them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.cli import cli
from casework.cli import workflows as workflow_commands
from casework.clock import london_date, utcnow
from casework.db import Database
from casework.models import Case, OutboxMessage
from casework.queries import case_summary
from casework.queries.cases import CaseSummary
from casework.services import deadlines, moratoria
from tests.factories import World, list_pub, make_world
from tests.functional.web.conftest import sign_in_as
from workflows import date_bounds, guards, periods, registry
from workflows import moratorium as version_one
from workflows.definition import Definition, Field, FieldKind, State, Timer, Transition
from workflows.periods import Counting, Rule, Unit, long_date
from workflows.periods.rule import Process
from workflows.roles import OWNER_OR_OFFICER, SYSTEM, GroupReach, Role

pytestmark = pytest.mark.integration
assert workflow_commands  # importing it registers `migrate-cases` on `cli`

BILL = "English Devolution and Community Empowerment Bill (as introduced)"
OFFERED, ACCEPTED = "offered_to_group", "offer_accepted"
OPEN_STATES = (*version_one.OPEN_STATES, OFFERED, ACCEPTED)
GROUP_OR_OFFICER = frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER})

FULL_12_MONTHS = replace(
    periods.RULES["moratorium.full"],
    id="moratorium.full_12_months",
    title="Full moratorium (12 months)",
    length=12,
    basis=BILL,
)
OFFER_RESPONSE = Rule(
    "moratorium.offer_response",
    Process.MORATORIUM,
    "Time for the group to answer the owner's offer",
    8,
    Unit.WEEKS,
    Counting.BEGINNING_WITH,
    "the day the owner offered the land to the group",
    BILL,
)

OFFER_FIELDS = (
    Field("offered_on", FieldKind.DATE, "date the land was offered to the group"),
    Field("offer_price", FieldKind.MONEY, "price asked"),
    Field("offer_terms", FieldKind.TEXT, "terms of the offer"),
)
ANSWER = (Field("offer_answered_on", FieldKind.DATE, "date the council received the group's answer", stamped=True),)
offer_in_moratorium = guards.in_time(
    "offer_in_full_moratorium", when="offered_on", timer="full_end", what="the offer", basis=BILL
)
offer_after_notice = guards.not_before(
    "offer_after_notice", when="offered_on", start=version_one.NOTICE_RECEIVED_ON, what="the offer", basis=BILL
)
answer_in_time = guards.in_time(
    "answer_in_response_period", when="offer_answered_on", timer="offer_response_end", what="the answer", basis=BILL
)

NEW_TRANSITIONS = date_bounds.bound(
    (
        Transition(
            trigger="offer_to_group",
            source="full_moratorium",
            dest=OFFERED,
            who=OWNER_OR_OFFICER,
            label="Offer the land to the group that asked to bid",
            basis=BILL,
            fields=OFFER_FIELDS,
            guards=(offer_after_notice, offer_in_moratorium),
        ),
        Transition(
            trigger="accept_offer",
            source=OFFERED,
            dest=ACCEPTED,
            who=GROUP_OR_OFFICER,
            label="Accept the owner's offer",
            groups=GroupReach.BIDDERS,
            basis=BILL,
            fields=ANSWER,
            guards=(answer_in_time,),
        ),
        Transition(
            trigger="decline_offer",
            source=OFFERED,
            dest="full_moratorium",
            who=GROUP_OR_OFFICER,
            label="Decline the owner's offer",
            groups=GroupReach.BIDDERS,
            basis=BILL,
            fields=ANSWER,
        ),
        Transition(
            trigger="offer_lapses",
            source=OFFERED,
            dest="full_moratorium",
            who=SYSTEM,
            label="End the offer: the group did not answer in time",
            basis=BILL,
        ),
    ),
    date_bounds.ENGLAND_ACV,
    after={"offer_answered_on": ("offered_on",)},
)
NEW_STATES = (
    State(
        OFFERED,
        "Offered to the group that asked to bid",
        public=True,
        description="The owner has offered the land to the group, which has eight weeks to answer.",
    ),
    State(
        ACCEPTED,
        "Offer accepted by the group",
        public=True,
        description="The group accepted the owner's offer; the sale to it can be recorded.",
    ),
)
WIDENED = ("dispose_to_cig", "record_exempt_disposal", "listing_ended", "record_breach")


def _version_two_row(row: Transition) -> Transition:
    """A version 1 row as version 2 has it: where it left any open state, it leaves the new ones too."""
    if row.trigger not in WIDENED:
        return row
    return replace(row, source=tuple(dict.fromkeys((*row.sources, OFFERED, ACCEPTED))))


def _version_two_state(state: State) -> State:
    if state.id == "full_moratorium":
        return replace(state, description="A community interest group asked to bid: twelve months from the notice.")
    return state


def _version_two_timer(timer: Timer) -> Timer:
    if timer.name == "full_end":
        return replace(timer, rule=FULL_12_MONTHS.id)
    if timer.name == "protected_end":
        return replace(timer, active_in=frozenset(OPEN_STATES))
    return timer


def version_two(effective_from: date) -> Definition:
    """Version 1 with a 12-month full moratorium and the owner's offer to the group, in force from `effective_from`."""
    v1 = registry.get(version_one.NAME, 1)
    response = Timer(
        "offer_response_end",
        OFFER_RESPONSE.id,
        "offered_on",
        frozenset({OFFERED}),
        "Time to answer the offer ends",
        on_expiry="offer_lapses",
        public=True,
    )
    return replace(
        v1,
        version=2,
        effective_from=effective_from,
        title="Community right to buy: disposal moratorium and offer to the group",
        states=(*(_version_two_state(s) for s in v1.states), *NEW_STATES),
        transitions=(*(_version_two_row(t) for t in v1.transitions), *NEW_TRANSITIONS),
        timers=(*(_version_two_timer(t) for t in v1.timers), response),
    )


@pytest.fixture
def new_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    for rule in (FULL_12_MONTHS, OFFER_RESPONSE):
        monkeypatch.setitem(periods.RULES, rule.id, rule)


@pytest.fixture
def in_force_last_month(new_rules: None) -> Iterator[Definition]:
    with registry.registered(version_two(london_date(utcnow()) - timedelta(days=30))) as defn:
        yield defn


# A case under version 2, end to end on the web.


def day_fields(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def text_of(html: str) -> str:
    """The page's words without its markup, spaces collapsed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def pending(db: Database, case_id: uuid.UUID) -> dict[str, date]:
    return {d.timer: d.due_date for d in case_summary(db, case_id).deadlines if d.status == "pending"}


def outbox_templates(db: Database, case_id: uuid.UUID) -> list[str]:
    with db.reader() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.case_id == case_id).order_by(OutboxMessage.created_at)
        ).all()
        return [str(m.payload["template"]) for m in rows if "template" in m.payload]


def as_officer(client: FlaskClient, db: Database, world: World) -> None:
    sign_in_as(client, db, world.officer.user_id, f"officer:{world.code}")


def owner_gives_notice(client: FlaskClient, db: Database, world: World, asset_id: uuid.UUID) -> uuid.UUID:
    """The owner sends the notice of intended sale from their land page; the new disposal cycle's id."""
    sign_in_as(client, db, world.owner.user_id, "owner:")
    sent = client.post(
        f"/owner/land/{asset_id}/notice",
        data={"disposal_type": "freehold", "vacant_possession": "yes", "stage": "send"},
        follow_redirects=True,
    )
    assert "Owner's notice of intended sale sent" in text_of(sent.get_data(as_text=True))
    with db.reader() as session:
        return session.scalars(select(Case.id).where(Case.workflow == "moratorium", Case.asset_id == asset_id)).one()


def group_asks_to_bid(client: FlaskClient, db: Database, world: World, reference: str) -> None:
    sign_in_as(client, db, world.member.user_id, "community_member:")
    assert client.post(f"/community/bids/{reference}", data={"group": str(world.group_id)}).status_code == 302


def owner_offers_the_land(client: FlaskClient, db: Database, world: World, cycle_id: uuid.UUID, day: date) -> None:
    """The owner follows the offer action the case page shows and fills in the form the definition makes."""
    cycle = case_summary(db, cycle_id)
    sign_in_as(client, db, world.owner.user_id, "owner:")
    case_page = client.get(f"/cases/{cycle.reference}").get_data(as_text=True)
    url = f"/cases/{cycle.reference}/actions/offer_to_group"
    assert f'<a class="govuk-link" href="{url}">Offer the land to the group that asked to bid</a>' in case_page
    form = text_of(client.get(url).get_data(as_text=True))
    assert "Date the land was offered to the group" in form and "Price asked" in form and "Terms of the offer" in form
    offered = client.post(
        url,
        data={
            "version": cycle.version,
            "offered_on": day_fields(day),
            "offer_price": "325000.00",
            "offer_terms": "The freehold with vacant possession, completion within eight weeks",
        },
        follow_redirects=True,
    )
    assert offered.status_code == 200


def version_two_case_offered(client: FlaskClient, db: Database) -> tuple[World, CaseSummary, uuid.UUID, date]:
    """A listed pub, the owner's notice and a group's request today, and the owner's offer to the group."""
    world = make_world(db)
    listing = case_summary(db, list_pub(db, world))
    assert listing.asset_id is not None
    today = london_date(utcnow())
    cycle_id = owner_gives_notice(client, db, world, listing.asset_id)
    group_asks_to_bid(client, db, world, case_summary(db, cycle_id).reference)
    owner_offers_the_land(client, db, world, cycle_id, today)
    return world, listing, cycle_id, today


@pytest.mark.usefixtures("in_force_last_month")
def test_a_case_runs_under_version_two_from_the_owners_notice_to_the_sale_to_the_group(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    assert listing.asset_id is not None
    today = london_date(utcnow())
    full_end, six_months = periods.compute(FULL_12_MONTHS, today).due, periods.compute("moratorium.full", today).due
    assert six_months < full_end and (full_end - today).days >= 364  # twelve months, not version 1's six

    cycle_id = owner_gives_notice(client, sqlite_db, world, listing.asset_id)
    reference = case_summary(sqlite_db, cycle_id).reference
    group_asks_to_bid(client, sqlite_db, world, reference)

    cycle = case_summary(sqlite_db, cycle_id)
    assert (cycle.workflow_version, cycle.state) == (2, "full_moratorium")
    assert pending(sqlite_db, cycle_id)["full_end"] == full_end
    as_officer(client, sqlite_db, world)
    officers = text_of(client.get(f"/officer/cases/{reference}").get_data(as_text=True))
    assert "Community right to buy: disposal moratorium and offer to the group (version 2)" in officers
    assert "twelve months from the notice" in officers
    assert f"Due: {long_date(full_end)}" in officers and long_date(six_months) not in officers
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    owners_land = text_of(client.get(f"/owner/land/{listing.asset_id}/notice").get_data(as_text=True))
    assert f"the full moratorium runs until the end of {long_date(full_end)}" in owners_land

    owner_offers_the_land(client, sqlite_db, world, cycle_id, today)
    cycle = case_summary(sqlite_db, cycle_id)
    response_end = periods.compute(OFFER_RESPONSE, today).due
    assert cycle.state == OFFERED
    assert (cycle.facts["offer_price"], cycle.facts["offered_on"]) == ("325000.00", today.isoformat())
    protected_end = periods.compute("moratorium.protected", today).due
    assert pending(sqlite_db, cycle_id) == {"offer_response_end": response_end, "protected_end": protected_end}
    as_officer(client, sqlite_db, world)
    officers = text_of(client.get(f"/officer/cases/{reference}").get_data(as_text=True))
    assert "Offered to the group that asked to bid" in officers and f"Due: {long_date(response_end)}" in officers

    # The group's answer: an officer records the group's written acceptance on the form the definition makes.
    # The group answers on its own case page too: test_the_group_answers_the_offer_on_its_own_case_page.
    accepted = client.post(
        f"/officer/cases/{reference}/actions/accept_offer",
        data={"version": cycle.version, "offer_answered_on": day_fields(today)},
        follow_redirects=True,
    )
    assert "Done: accept the owner's offer." in text_of(accepted.get_data(as_text=True))
    assert case_summary(sqlite_db, cycle_id).state == ACCEPTED

    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    case_page = client.get(f"/cases/{reference}").get_data(as_text=True)
    sale = f'href="/cases/{reference}/actions/dispose_to_cig">Record a sale to a community interest group</a>'
    assert sale in case_page
    sold = client.post(
        f"/cases/{reference}/actions/dispose_to_cig",
        data={
            "version": case_summary(sqlite_db, cycle_id).version,
            "disposal_entered_on": day_fields(today),
            "acquirer_name": "Friends of the Bull",
            "whole_or_part": "whole",
            "acquirer_is_cig": "yes",
        },
        follow_redirects=True,
    )
    assert sold.status_code == 200
    cycle = case_summary(sqlite_db, cycle_id)
    assert (cycle.state, cycle.workflow_version, cycle.facts["acquirer_name"]) == (
        "disposed_to_cig",
        2,
        "Friends of the Bull",
    )

    sign_in_as(client, sqlite_db, None)
    entry = text_of(client.get(f"/register/BDC/{listing.reference}").get_data(as_text=True))
    assert "Removed after a relevant disposal" in entry and "Status: Sold to a community interest group" in entry
    # Version 1's notices where the law is the same; the offer and its answer send none (no template exists for
    # them in casework/notifying/notices, and adding one would be a change outside this test).
    assert outbox_templates(sqlite_db, cycle_id) == [
        "owners_notice_received",
        "owners_notice_acknowledged",
        "bidder_request_passed_on",
        "bidder_request_recorded",
        "disposed_to_cig",
    ]


@pytest.mark.usefixtures("in_force_last_month")
def test_an_offer_not_answered_in_time_lapses_and_the_full_moratorium_runs_on_to_its_twelve_months(
    client: FlaskClient, sqlite_db: Database
) -> None:
    _, _, cycle_id, today = version_two_case_offered(client, sqlite_db)
    response_end = periods.compute(OFFER_RESPONSE, today).due

    deadlines.sweep(sqlite_db, now=datetime.combine(response_end, time(22), UTC))  # still that day in London
    assert case_summary(sqlite_db, cycle_id).state == OFFERED
    deadlines.sweep(sqlite_db, now=datetime.combine(response_end + timedelta(days=1), time(12), UTC))

    cycle = case_summary(sqlite_db, cycle_id)
    assert cycle.state == "full_moratorium"
    assert cycle.events[-1].summary == "End the offer: the group did not answer in time"
    assert pending(sqlite_db, cycle_id)["full_end"] == periods.compute(FULL_12_MONTHS, today).due


@pytest.mark.usefixtures("in_force_last_month")
def test_a_declined_offer_returns_the_case_to_the_full_moratorium_and_the_owner_may_offer_again(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world, _, cycle_id, today = version_two_case_offered(client, sqlite_db)
    cycle = case_summary(sqlite_db, cycle_id)
    as_officer(client, sqlite_db, world)

    declined = client.post(
        f"/officer/cases/{cycle.reference}/actions/decline_offer",
        data={"version": cycle.version, "offer_answered_on": day_fields(today)},
        follow_redirects=True,
    )

    assert "Done: decline the owner's offer." in text_of(declined.get_data(as_text=True))
    assert case_summary(sqlite_db, cycle_id).state == "full_moratorium"
    assert pending(sqlite_db, cycle_id)["full_end"] == periods.compute(FULL_12_MONTHS, today).due
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    case_page = client.get(f"/cases/{cycle.reference}").get_data(as_text=True)
    assert "Offer the land to the group that asked to bid" in case_page


@pytest.mark.usefixtures("in_force_last_month")
def test_the_group_answers_the_offer_on_its_own_case_page(client: FlaskClient, sqlite_db: Database) -> None:
    world, _, cycle_id, today = version_two_case_offered(client, sqlite_db)
    cycle = case_summary(sqlite_db, cycle_id)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    url = f"/cases/{cycle.reference}/actions/accept_offer"

    case_page = client.get(f"/cases/{cycle.reference}").get_data(as_text=True)
    answered = client.post(url, data={"version": cycle.version}, follow_redirects=True)

    assert f'href="{url}"' in case_page
    assert answered.status_code == 200
    cycle = case_summary(sqlite_db, cycle_id)
    assert (cycle.state, cycle.facts["offer_answered_on"]) == (ACCEPTED, today.isoformat())


@pytest.mark.usefixtures("in_force_last_month")
def test_the_public_register_shows_the_twelve_month_full_moratorium(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    assert listing.asset_id is not None
    full_end = periods.compute(FULL_12_MONTHS, london_date(utcnow())).due
    cycle_id = owner_gives_notice(client, sqlite_db, world, listing.asset_id)
    group_asks_to_bid(client, sqlite_db, world, case_summary(sqlite_db, cycle_id).reference)
    sign_in_as(client, sqlite_db, None)

    entry = text_of(client.get(f"/register/BDC/{listing.reference}").get_data(as_text=True))

    assert f"Full moratorium ends {full_end.day} {full_end:%B %Y}" in entry
    assert "Full moratorium (12 months): 12 months" in entry


@pytest.mark.usefixtures("in_force_last_month")
def test_the_owner_is_told_before_sending_that_the_full_moratorium_would_run_twelve_months(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    full_end = periods.compute(FULL_12_MONTHS, london_date(utcnow())).due
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")

    preview = client.post(
        f"/owner/land/{listing.asset_id}/notice", data={"disposal_type": "freehold", "vacant_possession": "yes"}
    )

    assert f"Full moratorium ends (if a group asks to bid) {long_date(full_end)}" in text_of(
        preview.get_data(as_text=True)
    )


@pytest.mark.usefixtures("in_force_last_month")
def test_while_the_offer_is_open_the_owner_is_told_no_new_notice_is_needed(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world, listing, cycle_id, _ = version_two_case_offered(client, sqlite_db)
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")

    page = text_of(client.get(f"/owner/land/{listing.asset_id}/notice").get_data(as_text=True))

    assert "You do not need to give a new notice" in page
    assert case_summary(sqlite_db, cycle_id).reference in page


# A running version 1 case moved to version 2: the dry run of `casework migrate-cases`, then the audited apply.


def migrate(db: Database, *options: str) -> str:
    result = CliRunner().invoke(
        cli, ["migrate-cases", "moratorium", "--to", "2", *options], env={"DATABASE_URL": str(db.url)}
    )
    assert result.exit_code == 0, result.output
    return result.output


@dataclass(frozen=True)
class RunningCase:
    world: World
    case_id: uuid.UUID
    reference: str
    received: date


@pytest.fixture
def running_version_one_case(sqlite_db: Database, new_rules: None) -> Iterator[RunningCase]:
    """A disposal cycle in its full moratorium under version 1, then version 2 in force from five days ago."""
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    assert listing.asset_id is not None
    today = london_date(utcnow())
    received, asked = today - timedelta(days=20), today - timedelta(days=10)
    cycle = moratoria.record_owner_notice(
        sqlite_db,
        world.owner,
        listing.asset_id,
        received_on=received,
        notice_method="post",
        disposal_type="freehold",
        vacant_possession=True,
        now=datetime.combine(received, time(10), UTC),
    )
    moratoria.record_bidder_request(
        sqlite_db,
        world.member,
        cycle.case_id,
        world.group_id,
        received_on=asked,
        now=datetime.combine(asked, time(10), UTC),
    )
    with registry.registered(version_two(today - timedelta(days=5))):
        yield RunningCase(world, cycle.case_id, cycle.reference, received)


def test_a_running_version_one_case_is_moved_to_version_two_after_a_dry_run_of_its_dates(
    client: FlaskClient, sqlite_db: Database, running_version_one_case: RunningCase
) -> None:
    cycle = running_version_one_case
    six_months, twelve_months = (periods.compute(r, cycle.received).due for r in ("moratorium.full", FULL_12_MONTHS))
    protected_end = periods.compute("moratorium.protected", cycle.received).due
    before = case_summary(sqlite_db, cycle.case_id)
    assert (before.workflow_version, before.state) == (1, "full_moratorium")
    assert pending(sqlite_db, cycle.case_id)["full_end"] == six_months

    dry_run = migrate(sqlite_db)

    assert dry_run.splitlines() == [
        f"{cycle.reference} (full_moratorium, version 1 -> 2)",
        f"  full_end: moved {six_months.isoformat()} -> {twelve_months.isoformat()}",
        f"  protected_end: unchanged {protected_end.isoformat()} -> {protected_end.isoformat()}",
        "Dry run: would migrate 1 case(s). Add --apply to do it.",
    ]
    assert case_summary(sqlite_db, cycle.case_id) == before

    applied = migrate(sqlite_db, "--apply")

    assert applied.splitlines()[-1] == "Migrated 1 case(s)."
    after = case_summary(sqlite_db, cycle.case_id)
    assert (after.workflow_version, after.state) == (2, "full_moratorium")
    assert pending(sqlite_db, cycle.case_id) == {"full_end": twelve_months, "protected_end": protected_end}
    assert [(d.status, d.due_date) for d in after.deadlines if d.timer == "full_end"] == [
        ("cancelled", six_months),
        ("pending", twelve_months),
    ]
    assert (after.events[-1].kind, after.events[-1].summary) == (
        "migrated",
        "Moved from version 1 to version 2 of the workflow",
    )
    as_officer(client, sqlite_db, cycle.world)
    case_page = text_of(client.get(f"/officer/cases/{cycle.reference}").get_data(as_text=True))
    assert "(version 2)" in case_page and "Moved from version 1 to version 2 of the workflow" in case_page
    assert f"Due: {long_date(twelve_months)}" in case_page
    assert "Offer the land to the group that asked to bid" in case_page  # version 2's step is open to it now
