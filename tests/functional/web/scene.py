"""The scene every access test walks: two councils, a person in every role, and a case of each kind."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask import Flask

from casework.actors import SYSTEM
from casework.adapters.storage import FileStorage
from casework.assets import AssetDetails
from casework.db import Database
from casework.examples import load
from casework.models import Case
from casework.queries import case_summary
from casework.services import accounts, asset_transfers, documents, moratoria, nominations, policies
from casework.services.accounts import RoleGrant
from tests.factories import World, confirmed_alert, list_pub, make_world, pub_nomination
from workflows.roles import Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PERSONAS = (
    "anonymous",
    "member",
    "stranger",
    "owner",
    "other_owner",
    "officer",
    "reviewer",
    "admin",
    "officer_elsewhere",
    "admin_elsewhere",
)


@dataclass
class Scene:
    world: World
    other: World
    people: dict[str, tuple[uuid.UUID | None, str | None]]
    listing: str
    cycle: str
    draft: str
    asset: uuid.UUID
    group: uuid.UUID
    public_doc: uuid.UUID
    private_doc: uuid.UUID
    unsubscribe: str
    confirm_alert: str
    offered: uuid.UUID
    application: str
    policy: uuid.UUID


@pytest.fixture
def scene(sqlite_db: Database, app: Flask) -> Scene:
    db = sqlite_db
    world, other = make_world(db), make_world(db, code="XDC")
    listing_id = list_pub(db, world)
    listing = case_summary(db, listing_id)
    assert listing.asset_id is not None and world.owner.user_id is not None
    cycle = moratoria.record_owner_notice(
        db,
        world.owner,
        listing.asset_id,
        received_on=date(2026, 4, 1),
        notice_method="post",
        disposal_type="freehold",
        vacant_possession=True,
        now=datetime(2026, 4, 1, 12, tzinfo=UTC),
    )
    draft = nominations.save_draft(db, world.member, world.council_id, world.group_id, pub_nomination(uprn=None))
    storage: FileStorage = app.extensions["casework_storage"]
    public_doc = documents.upload(
        db, storage, world.officer, filename="report.pdf", content=PDF, case_id=listing_id, public=True
    )
    private_doc = documents.upload(db, storage, world.officer, filename="memo.pdf", content=PDF, case_id=listing_id)
    other_owner = accounts.create_user(
        db, "stranger.owner@example.com", "Stella Stranger", grants=(RoleGrant(Role.OWNER),)
    )
    alert = confirmed_alert(db, world.code, "resident@example.org", category="pub")
    policy = policies.publish(
        db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    policies.publish(db, SYSTEM, "BDC", "challenge", load("challenge"), effective_from=date(2026, 1, 1))
    offered = asset_transfers.offer_asset(db, world.officer, AssetDetails(name="Ambridge Library", address="The Green"))
    application = asset_transfers.start_application(
        db, world.member, offered, world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="A library",
        tenure_sought="lease", now=datetime(2026, 3, 2, 10, tzinfo=UTC),
    )  # fmt: skip
    with db.transaction() as session:  # straight to the panel: the scoring pages are what is walked here
        session.get_one(Case, application.case_id).state = "panel_assessment"
    people: dict[str, tuple[uuid.UUID | None, str | None]] = {
        "anonymous": (None, None),
        "member": (world.member.user_id, "community_member:"),
        "stranger": (other.member.user_id, "community_member:"),
        "owner": (world.owner.user_id, "owner:"),
        "other_owner": (other_owner, "owner:"),
        "officer": (world.officer.user_id, f"officer:{world.code}"),
        "reviewer": (world.reviewer.user_id, f"reviewer:{world.code}"),
        "admin": (world.admin.user_id, f"council_admin:{world.code}"),
        "officer_elsewhere": (other.officer.user_id, f"officer:{other.code}"),
        "admin_elsewhere": (other.admin.user_id, f"council_admin:{other.code}"),
    }
    return Scene(
        world,
        other,
        people,
        listing.reference,
        cycle.reference,
        case_summary(db, draft).reference,
        listing.asset_id,
        world.group_id,
        public_doc,
        private_doc,
        alert.unsubscribe_token,
        alert.confirm_token,
        offered,
        application.reference,
        policy.id,
    )
