"""Every row lock a writer of cases takes, in one order: the asset, its listing, the case, then rivals.

Two writers that lock the same rows in the same order cannot deadlock, so this module is the only place
casework locks an asset or a case (SELECT ... FOR UPDATE):

1. **the asset** (`lock_asset`, `lock_asset_id`, `lock_asset_with_uprn`): a notice, an exempt disposal,
   an approval of one of several applications for the land or a register row reusing known land
   serialises on the land first;
2. **the listing** the case runs on, then **the case** (`lock_for_transition` takes both in one statement
   on PostgreSQL; `lock_case` the case alone; `lock_cases_of_asset` the cases of one workflow on the land,
   oldest first); an effect reaching from a moratorium to its listing finds it already locked;
3. **many cases at once** (`lock_cases`) in id order, as the sweeper, a holiday change and a migration
   do, skipping (on PostgreSQL) those another writer holds where the caller can come back later;
4. **rivals** last (`lock_rival`), without waiting: an officer approving a rival at the same moment
   holds it and waits for the asset this approval holds, so waiting here would deadlock.

On SQLite there are no row locks: the write transaction holds the database's one write lock
(BEGIN IMMEDIATE), which serialises writers the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from casework.errors import Conflict, NotFound
from casework.models import Asset, Case
from casework.repositories import cases as case_repo


def lock_asset(session: Session, asset_id: uuid.UUID) -> Asset:
    """The asset, locked; NotFound when there is none."""
    asset = session.execute(select(Asset).where(Asset.id == asset_id).with_for_update()).scalar_one_or_none()
    if asset is None:
        raise NotFound(f"There is no asset with the id {asset_id}")
    return asset


def lock_asset_id(session: Session, asset_id: uuid.UUID) -> None:
    """Lock the asset's row without loading it (a guard that only needs the land held still)."""
    session.execute(select(Asset.id).where(Asset.id == asset_id).with_for_update())


def lock_asset_with_uprn(session: Session, council_id: uuid.UUID, uprn: str) -> Asset | None:
    """The council's asset with this UPRN, locked, if it has one (an import or a nomination reusing known land)."""
    stmt = select(Asset).where(Asset.council_id == council_id, Asset.uprn == uprn).with_for_update()
    return session.scalars(stmt).first()


def lock_for_transition(session: Session, case_id: uuid.UUID) -> Case:
    """The case, locked for a transition after the listing it runs on (CaseNotFound when there is none)."""
    return case_repo.lock_for_transition(session, case_id)


def lock_case(session: Session, case_id: uuid.UUID) -> Case:
    """The case alone, locked (CaseNotFound when there is none): its listing is locked already, or not involved."""
    return case_repo.get_for_update(session, case_id)


def lock_cases_of_asset(session: Session, asset_id: uuid.UUID, workflow: str, states: Iterable[str]) -> Sequence[Case]:
    """The asset's cases of `workflow` in `states`, oldest first, locked."""
    return case_repo.cases_of_asset(session, asset_id, workflow, states, lock=True)


def lock_cases(session: Session, case_ids: Iterable[uuid.UUID], *, skip_locked: bool = False) -> dict[uuid.UUID, Case]:
    """Many cases locked in id order, by id; with `skip_locked`, those another writer holds are left out."""
    stmt = select(Case).where(Case.id.in_(sorted(set(case_ids)))).order_by(Case.id)
    return {case.id: case for case in session.scalars(stmt.with_for_update(skip_locked=skip_locked))}


def lock_rival(session: Session, rival: Case) -> Case:
    """A rival application, locked without waiting; Conflict (try again) when someone else holds it."""
    try:
        return session.scalars(select(Case).where(Case.id == rival.id).with_for_update(nowait=True)).one()
    except OperationalError:
        raise Conflict(f"{rival.reference} is being changed by someone else at this moment: try again") from None


def lock_case_ids(session: Session, case_ids: Iterable[uuid.UUID], *, skip_locked: bool = False) -> set[uuid.UUID]:
    """As `lock_cases`, for a caller that needs only which cases it holds (the rows are not loaded)."""
    stmt = select(Case.id).where(Case.id.in_(sorted(set(case_ids)))).order_by(Case.id)
    return set(session.scalars(stmt.with_for_update(skip_locked=skip_locked)))
