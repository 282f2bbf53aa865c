"""Load postcode centroids (Code-Point Open) for alerts by distance: every file checked first, then all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import PermissionDenied
from casework.models import PostcodePoint
from casework.postcodes import Centroid, PostcodeFile, Problem, csv_files, normalise, read
from workflows.roles import Role

BATCH = 1000


@dataclass(frozen=True)
class LoadReport:
    files: tuple[PostcodeFile, ...]
    loaded: int  # postcodes written (new or moved); 0 when any file had a problem

    @property
    def problems(self) -> list[Problem]:
        return [problem for file in self.files for problem in file.problems]

    @property
    def more_problems(self) -> int:
        return sum(file.more_problems for file in self.files)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def without_coordinates(self) -> int:
        return sum(file.without_coordinates for file in self.files)


def load(
    db: Database,
    sources: Iterable[tuple[str, bytes]],
    *,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> LoadReport:
    """Check every row of every file (a zip is opened), then load them all in one transaction, or none if any row
    is wrong. A postcode already known is moved to where the newer file puts it: Code-Point Open is reissued
    quarterly. Raises PostcodeFileProblem for a file that is not CSV text at all.

    `actor`: who loads them from a page, a council admin (postcodes are national open data, shared by every
    council); None for the command line and the demo data.
    """
    if actor is not None and actor.role is not Role.COUNCIL_ADMIN:
        raise PermissionDenied("Only a council admin can load postcodes")
    now = now or clock.utcnow()
    files = tuple(read(name, data) for source_name, source in sources for name, data in csv_files(source_name, source))
    if any(file.problems for file in files):
        return LoadReport(files, 0)
    centroids = {c.postcode: c for file in files for c in file.centroids}  # a later file wins, as it would in turn
    with db.transaction() as session:
        _upsert(session, list(centroids.values()), now, postgres=db.is_postgres)
    return LoadReport(files, len(centroids))


def _upsert(session: Session, centroids: list[Centroid], now: datetime, *, postgres: bool) -> None:
    insert = pg_insert if postgres else sqlite_insert
    for start in range(0, len(centroids), BATCH):
        rows = [{**vars(c), "loaded_at": now} for c in centroids[start : start + BATCH]]
        statement = insert(PostcodePoint).values(rows)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[PostcodePoint.postcode],
                set_={name: statement.excluded[name] for name in rows[0] if name != "postcode"},
            )
        )


@dataclass(frozen=True)
class PostcodeSummary:
    count: int
    areas: tuple[str, ...]  # the postcode areas (BS, B, SW...) with at least one centroid
    last_loaded: datetime | None


def summary(db: Database) -> PostcodeSummary:
    """How many postcodes are known, in which areas, and when they were last loaded: for the admin's page."""
    with db.reader() as session:
        count, last = session.execute(select(func.count(), func.max(PostcodePoint.loaded_at))).one()
        outward = session.scalars(select(func.substr(PostcodePoint.postcode, 1, 2)).distinct()).all()
    areas = sorted({"".join(ch for ch in code if ch.isalpha()) for code in outward})
    return PostcodeSummary(int(count), tuple(areas), last)


def centroid(session: Session, postcode: str) -> PostcodePoint | None:
    """Where a postcode is, however it was typed (spaces, case); None if no file loaded has given it."""
    return session.get(PostcodePoint, normalise(postcode))


def where_is(db: Database, postcode: str | None) -> tuple[float, float] | None:
    """A postcode's centroid as (latitude, longitude), where a map about a place at that postcode opens; None for
    no postcode or one no file loaded has given. One read."""
    if not postcode or not postcode.strip():
        return None
    with db.reader() as session:
        found = centroid(session, postcode)
        return (found.latitude, found.longitude) if found is not None else None
