"""B2 (one trigger through the shared machine, no database) and B6 (memory per case loaded and triggered)."""

from __future__ import annotations

import tracemalloc
import uuid
from datetime import UTC, date, datetime

from bench.harness import Result, interleaved, summarise, timed
from casework.models import Case
from workflows import machines, registry
from workflows.definition import GuardContext
from workflows.roles import Role

TODAY = date(2026, 6, 1)
# A community interest group asks to bid within the interim moratorium: every guard passes.
REQUEST = GuardContext(
    role=Role.OFFICER,
    today=TODAY,
    data={"request_received_on": date(2026, 5, 10), "cig_name": "Friends"},
    facts={"notice_received_on": date(2026, 5, 1), "requester_is_cig": True},
    deadlines={"interim_end": date(2026, 6, 11)},
)


def b2_trigger() -> Result:
    """`fire()` on the moratorium's cig_request (3 guards) against a plain function doing the same checks."""
    defn = registry.get("moratorium")
    transition = defn.transition_from("interim_moratorium", "cig_request")
    assert transition is not None
    built_before = machines.machines_built

    def ours(n: int) -> float:
        return timed(lambda: [machines.fire(defn, "interim_moratorium", "cig_request", REQUEST) for _ in range(n)])

    def plain(state: str) -> str:
        if state != "interim_moratorium" or REQUEST.role not in transition.who:
            raise ValueError(state)
        data, facts = REQUEST.data, REQUEST.facts
        if not (
            facts["requester_is_cig"]
            and data["request_received_on"] >= facts["notice_received_on"]
            and data["request_received_on"] <= REQUEST.deadlines["interim_end"]
        ):
            raise ValueError("guard")
        return "full_moratorium"

    def baseline(n: int) -> float:
        return timed(lambda: [plain("interim_moratorium") for _ in range(n)])

    ours_t, base_t = interleaved(ours, baseline, ops=20_000, rounds=9)
    ratio, spread, ours_us, base_us = summarise(ours_t, base_t)
    built = machines.machines_built - built_before
    return Result(
        "B2", "one trigger through the shared machine, no database", ratio, spread, ours_us, base_us,
        "<= 10 us per trigger; 0 machines built", ours_us <= 10 and built == 0,
        {"machines_built_during_run": built, "machines_total": machines.machines_built},
    )  # fmt: skip


def b6_memory() -> Result:
    """Bytes held per case for K cases loaded and triggered, against the same K bare objects."""
    defn = registry.get("moratorium")
    k = 10_000
    now = datetime(2026, 6, 1, tzinfo=UTC)

    def make(i: int) -> Case:
        return Case(
            id=uuid.uuid4(), council_id=uuid.UUID(int=1), reference=f"BDC-MOR-{i:06d}", workflow="moratorium",
            workflow_version=1, state="interim_moratorium", facts={"notice_received_on": "2026-05-01"},
            created_at=now, state_changed_at=now,
        )  # fmt: skip

    def held(trigger: bool) -> int:
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        cases = [make(i) for i in range(k)]
        if trigger:
            for case in cases:
                case.state = machines.fire(defn, case.state, "cig_request", REQUEST).dest
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        size = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
        del cases
        return size

    bare, triggered = held(False), held(True)
    extra_per_case = (triggered - bare) / k
    return Result(
        "B6", "memory per case loaded and triggered", triggered / bare, (triggered / bare, triggered / bare),
        triggered / k, bare / k, "<= 1 KB extra per case", extra_per_case <= 1024,
        {"extra_bytes_per_case": round(extra_per_case, 1), "cases": k, "note": "us/op columns are bytes/case"},
    )  # fmt: skip
