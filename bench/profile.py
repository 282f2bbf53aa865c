"""Profile 200 transitions on commit-cheap SQLite: `python -m bench.profile` prints where the time goes."""

from __future__ import annotations

import cProfile
import pstats
import tempfile
from pathlib import Path

from bench.transitions import DECISION, NOW, Fixture
from casework.db import Database
from casework.services.case_transitions import apply_transition


def main() -> None:
    shm = Path("/dev/shm")  # noqa: S108 - a private temporary directory inside it, removed afterwards
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as workdir:
        db = Database(f"sqlite:///{Path(workdir) / 'profile.db'}")
        fixture = Fixture(db)
        claims = fixture.claims(220)
        for case_id in claims[:20]:  # warm the statement caches first
            apply_transition(db, case_id, "decide", fixture.officer, DECISION, now=NOW)
        profile = cProfile.Profile()
        profile.enable()
        for case_id in claims[20:]:
            apply_transition(db, case_id, "decide", fixture.officer, DECISION, now=NOW)
        profile.disable()
        db.dispose()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
