"""Alerts by postcode that work: postcodes loaded from Code-Point Open, matched within the distance the person chose,
and nothing sent to an address until its holder confirms by the link emailed to it (double opt-in)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework import examples
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import PostcodePoint, Subscription
from casework.services import alerts, postcodes
from tests.factories import ALERTS_BASE_URL, list_pub, make_world, owners_notice
from tests.integration.test_notifications import CONFIRM_ALERTS, NOTICE_ALERT, NOW, about, deliver_everything, smtp
from tests.mailserver import MailServer

pytestmark = pytest.mark.integration
__all__ = ["smtp"]  # the real SMTP server fixture, shared with the other notification tests
ONE_MILE, TEN_MILES = 1609, 16093


def subscribe(db: Database, email: str, **choice: object) -> alerts.NewSubscription:
    return alerts.subscribe(db, "BDC", email, base_url=ALERTS_BASE_URL, now=NOW, **choice)  # type: ignore[arg-type]


def confirmation_link(server: MailServer, address: str) -> str:
    [email] = about(server, address, "Confirm your alerts")
    match = re.search(r"https://casework\.example/alerts/confirm/(\S+)", email.text)
    assert match, email.text
    return match.group(1)


def test_an_alert_by_postcode_reaches_those_within_the_distance_they_chose_and_nobody_further(
    db: Database, smtp: tuple[MailServer, object]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    listing = list_pub(db, world)  # the pub is at (-2.1, 52.2)
    postcodes.load(db, [examples.postcode_file()], now=NOW)  # BS1 5AA is 60 m from it; BS9 2ZZ about 22 km
    deliver_everything(db, mailer)  # type: ignore[arg-type]
    server.received.clear()
    for email, postcode, radius in (
        ("near@example.org", " bs15aa ", ONE_MILE),  # typed as people type it
        ("far@example.org", "BS9 2ZZ", TEN_MILES),
    ):
        made = subscribe(db, email, postcode=postcode, radius_m=radius)
        alerts.confirm(db, made.confirm_token, now=NOW)
    owners_notice(db, world, listing, received_on=date(2026, 4, 1), now=NOW)

    deliver_everything(db, mailer)  # type: ignore[arg-type]

    assert [r.subject for r in about(server, "near@example.org", "intends to sell")] == [NOTICE_ALERT]
    assert about(server, "far@example.org", "intends to sell") == []
    assert "everything within 1 mile of BS1 5AA" in about(server, "near@example.org", "Confirm")[0].text


def test_only_an_address_that_followed_its_confirmation_link_gets_alerts_and_each_alert_can_stop_them(
    db: Database, smtp: tuple[MailServer, object]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    listing = list_pub(db, world)
    deliver_everything(db, mailer)  # type: ignore[arg-type]
    server.received.clear()
    subscribe(db, "typed.by.someone.else@example.org", category="pub")
    subscribe(db, "resident@example.org", category="pub")
    deliver_everything(db, mailer)  # type: ignore[arg-type]

    confirmed = alerts.confirm(db, confirmation_link(server, "resident@example.org"), now=NOW)
    owners_notice(db, world, listing, received_on=date(2026, 4, 1), now=NOW)
    deliver_everything(db, mailer)  # type: ignore[arg-type]

    assert [r.subject for r in server.to("typed.by.someone.else@example.org")] == [CONFIRM_ALERTS]
    [alert] = about(server, "resident@example.org", "intends to sell")
    assert (confirmed.description, confirmed.newly) == ("every pub", True)
    unsubscribe = f"https://casework.example/alerts/unsubscribe/{confirmed.unsubscribe_token}"
    assert unsubscribe in alert.text and alert.message["List-Unsubscribe"] == f"<{unsubscribe}>"
    again = alerts.confirm(db, confirmation_link(server, "resident@example.org"), now=NOW)  # following it twice
    assert again.newly is False


def test_a_confirmation_link_stops_working_after_a_week_and_the_unconfirmed_request_is_then_forgotten(
    db: Database,
) -> None:
    make_world(db)
    made = subscribe(db, "late@example.org", category="pub")
    later = NOW + alerts.CONFIRM_WITHIN + timedelta(seconds=1)

    with pytest.raises(NotFound, match="expired"):
        alerts.confirm(db, made.confirm_token, now=later)
    with pytest.raises(NotFound, match="not recognised"):
        alerts.confirm(db, "not-a-token", now=NOW)
    alerts.subscribe(db, "BDC", "someone@example.org", base_url=ALERTS_BASE_URL, category="shop", now=later)
    with db.reader() as session:
        assert session.scalars(select(Subscription.email)).all() == ["someone@example.org"]


def test_a_postcode_with_no_known_place_or_no_distance_is_explained(db: Database) -> None:
    make_world(db)
    with pytest.raises(InvalidInput, match=r"We do not know where ZZ1 1ZZ is\. Check the postcode"):
        subscribe(db, "resident@example.org", postcode="zz11zz", radius_m=ONE_MILE)
    with pytest.raises(InvalidInput, match="Enter a real postcode"):
        subscribe(db, "resident@example.org", postcode="not one", radius_m=ONE_MILE)
    with pytest.raises(InvalidInput, match="Select how far from the postcode"):
        subscribe(db, "resident@example.org", postcode="BS1 4ND")


def test_postcodes_load_all_or_nothing_and_a_new_edition_moves_a_known_postcode(db: Database) -> None:
    world = make_world(db)
    good = '"BS1 4ND",10,358836,172870,"E92000001","","","","E06000023","E05010892"\n'
    bad = good + '"BS1 4NE",10,358836\n'

    refused = postcodes.load(db, [("good.csv", good.encode()), ("bad.csv", bad.encode())], now=NOW)
    assert (refused.ok, refused.loaded, [str(p) for p in refused.problems]) == (
        False,
        0,
        [
            (
                "bad.csv, line 2: has 3 columns; Code-Point Open has 10 (Postcode, Positional_quality_indicator, "
                "Eastings, Northings...) and no header row"
            )
        ],
    )
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(PostcodePoint)) == 0

    assert postcodes.load(db, [("bs.csv", good.encode())], now=NOW).loaded == 1
    moved = good.replace("358836,172870", "358936,172970")
    assert postcodes.load(db, [("bs.csv", moved.encode())], now=NOW).loaded == 1
    with db.reader() as session:
        point = session.get_one(PostcodePoint, "BS14ND")
        assert point.eastings == 358936 and point.district_code == "E06000023"
    assert postcodes.summary(db).count == 1 and postcodes.summary(db).areas == ("BS",)
    with pytest.raises(PermissionDenied, match="Only a council admin"):
        postcodes.load(db, [("bs.csv", good.encode())], actor=world.officer)
