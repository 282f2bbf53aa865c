"""The scene every access test walks: two councils, a person in every role, and a case of each kind."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

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
    """The scene built afresh in the test's own database (the drills build it on PostgreSQL)."""
    return build_scene(sqlite_db, app.extensions["casework_storage"])


@pytest.fixture(scope="session")
def _built_scene(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Scene]:
    """The scene built once per test process on SQLite, with its uploaded files, for `copied_scene` to copy."""
    where = tmp_path_factory.mktemp("scene")
    shutil.copy(_sqlite_template, where / DB_FILE)
    db = Database(f"sqlite:///{where / DB_FILE}")
    built = build_scene(db, FileStorage(str(where / UPLOADS)))
    db.dispose()
    with closing(sqlite3.connect(where / DB_FILE)) as connection:  # everything in the file itself, no WAL beside it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return where, built


@pytest.fixture
def copied_scene(sqlite_db: Database, tmp_path: Path, _built_scene: tuple[Path, Scene]) -> Scene:
    """The same scene as `scene`, copied into the test's database and upload folder instead of built again:
    the access tables walk it in some two hundred tests, each of which may write to it."""
    where, built = _built_scene
    sqlite_db.dispose()
    for leftover in ("-wal", "-shm"):
        (tmp_path / f"{DB_FILE}{leftover}").unlink(missing_ok=True)
    shutil.copy(where / DB_FILE, tmp_path / DB_FILE)
    shutil.copytree(where / UPLOADS, tmp_path / UPLOADS, dirs_exist_ok=True)
    return built


DB_FILE, UPLOADS = "casework.db", "up"  # as tests/conftest.py's sqlite_db and conftest.make_app name them


def build_scene(db: Database, storage: FileStorage) -> Scene:
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
