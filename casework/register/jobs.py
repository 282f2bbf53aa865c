"""A council's saved column mapping, and register imports the worker loads while the admin's page shows progress.

The web never loads a large register itself: it records an import job (one
transaction) and the worker's beat task picks queued jobs up, the way
deadlines are swept, never by a Celery ETA. The load is still one transaction,
all rows or none; its progress is counted in separate short transactions so
that the page polling it sees the count move. SQLite has one writer at a time,
the load's own transaction, so there the count is kept instead in a small file
beside the upload (the embedded default's web and worker share its disk).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import NotFound, PermissionDenied
from casework.models import Council, ImportJob, ImportMapping
from casework.models.imports import FAILED, LOADED, QUEUED, RUNNING
from casework.register import imports as register_import
from casework.register.files import FileProblem, read_table
from workflows.roles import Role

log = logging.getLogger(__name__)


def _check_admin(actor: Actor) -> uuid.UUID:
    if actor.role is not Role.COUNCIL_ADMIN or actor.council_id is None or actor.user_id is None:
        raise PermissionDenied("Only a council admin can import the council's register")
    return actor.council_id


def saved_mapping(db: Database, actor: Actor) -> dict[str, str]:
    """The council's confirmed mapping, {header as the council writes it: field}."""
    council_id = _check_admin(actor)
    with db.reader() as session:
        stmt = select(ImportMapping.column, ImportMapping.field).where(ImportMapping.council_id == council_id)
        return {str(row.column): str(row.field) for row in session.execute(stmt)}


def save_mapping(db: Database, actor: Actor, mapping: Mapping[str, str | None], *, now: datetime | None = None) -> None:
    """Keep the mapping an admin confirmed, to offer next time: it replaces the headers it names, keeps others."""
    council_id = _check_admin(actor)
    now = now or clock.utcnow()
    with db.transaction() as session:
        named = [column for column in mapping if column]
        session.execute(
            delete(ImportMapping).where(ImportMapping.council_id == council_id, ImportMapping.column.in_(named))
        )
        session.add_all(
            ImportMapping(council_id=council_id, column=column[:200], field=field, updated_at=now)
            for column, field in mapping.items()
            if column and field
        )


@dataclass(frozen=True)
class JobStatus:
    id: uuid.UUID
    status: str
    total: int
    done: int
    message: str | None
    council_code: str
    filename: str

    @property
    def percent(self) -> int:
        return 100 if self.status == LOADED else int(100 * self.done / self.total) if self.total else 0


def queue_import(
    db: Database,
    actor: Actor,
    path: Path,
    filename: str,
    mapping: Mapping[str, str | None],
    total: int,
    *,
    now: datetime | None = None,
) -> uuid.UUID:
    """Ask the worker to load a checked file; returns the job's id for its progress page. One transaction."""
    council_id = _check_admin(actor)
    assert actor.user_id is not None  # noqa: S101 - checked by _check_admin
    now = now or clock.utcnow()
    job = ImportJob(
        id=uuid.uuid4(),
        council_id=council_id,
        user_id=actor.user_id,
        actor_role=actor.role.value,
        filename=filename[:300],
        path=str(path),
        mapping=dict(mapping),
        status=QUEUED,
        total=total,
        done=0,
        created_at=now,
    )
    with db.transaction() as session:
        session.add(job)
    return job.id


def job_status(db: Database, actor: Actor, job_id: uuid.UUID) -> JobStatus:
    """An import's progress, for the admins of its council only."""
    council_id = _check_admin(actor)
    with db.reader() as session:
        found = session.execute(
            select(ImportJob, Council.code)
            .join(Council, Council.id == ImportJob.council_id)
            .where(ImportJob.id == job_id, ImportJob.council_id == council_id)
        ).first()
        if found is None:
            raise NotFound("There is no such import")
        job, code = found
        done = job.done if job.status != RUNNING or db.is_postgres else _counted(Path(job.path))
        return JobStatus(job.id, job.status, job.total, done, job.message, code, job.filename)


def _count_file(upload: Path) -> Path:
    return upload.with_name(upload.name + ".done")


def _counted(upload: Path) -> int:
    """How many listings the load has written, as the worker last wrote it beside the upload (0 before the first)."""
    try:
        return int(_count_file(upload).read_text(encoding="ascii") or 0)
    except (OSError, ValueError):
        return 0


def run_queued(db: Database, *, now: datetime | None = None) -> int:
    """The worker: load each queued import, oldest first; returns how many it took. Two workers never take the
    same job (SKIP LOCKED on PostgreSQL; SQLite serialises writers)."""
    taken = 0
    while (job_id := _claim(db, now)) is not None:
        _run(db, job_id, now)
        taken += 1
    return taken


def _claim(db: Database, now: datetime | None) -> uuid.UUID | None:
    with db.transaction() as session:
        job = session.scalars(
            select(ImportJob)
            .where(ImportJob.status == QUEUED)
            .order_by(ImportJob.created_at)
            .limit(1)
            .with_for_update(skip_locked=db.is_postgres)
        ).first()
        if job is None:
            return None
        job.status, job.started_at = RUNNING, now or clock.utcnow()
        return job.id


def _run(db: Database, job_id: uuid.UUID, now: datetime | None) -> None:
    with db.reader() as session:
        job = session.get_one(ImportJob, job_id)
        code = session.get_one(Council, job.council_id).code
        actor = Actor(Role(job.actor_role), user_id=job.user_id, council_id=job.council_id)
        path, filename, mapping = Path(job.path), job.filename, dict(job.mapping)
    done = 0

    def count(loaded: int) -> None:
        nonlocal done
        done += loaded
        if db.is_postgres:
            with db.transaction() as progress:
                progress.execute(update(ImportJob).where(ImportJob.id == job_id).values(done=done))
        else:  # the load's transaction is SQLite's one writer: the count goes beside the upload, replaced whole
            partial = _count_file(path).with_suffix(".part")
            partial.write_text(str(done), encoding="ascii")
            partial.replace(_count_file(path))

    try:
        table = read_table(path.read_bytes(), filename)
        report = register_import.import_register(db, code, table, mapping=mapping, actor=actor, progress=count, now=now)
    except (OSError, FileProblem) as problem:
        _finish(db, job_id, FAILED, f"The file could not be read again: {problem}. Nothing was loaded.", now)
        return
    except Exception:  # the load rolled back; say so on the page rather than leave it "running" for ever
        log.exception("register import %s failed", job_id)
        _finish(db, job_id, FAILED, "The load failed and nothing was loaded: ask for help with the file.", now)
        raise
    finally:
        _count_file(path).unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    if report.loaded:
        _finish(db, job_id, LOADED, f"{report.listings} entries loaded into the register.", now)
    else:
        problems = [*report.file_problems, *(f"line {r.line}: {'; '.join(r.errors)}" for r in report.invalid)]
        message = "Nothing was loaded: " + " ".join(problems[:5])  # the register changed since the check
        _finish(db, job_id, FAILED, message, now)


def _finish(db: Database, job_id: uuid.UUID, status: str, message: str, now: datetime | None) -> None:
    with db.transaction() as session:
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(status=status, message=message, finished_at=now or clock.utcnow())
        )
    log.info("register import %s %s: %s", job_id, status, message)
