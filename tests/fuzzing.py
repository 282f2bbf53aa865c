"""Requests generated from the OpenAPI document for one operation, the same way for make test and the drills."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings


def each_generated(
    operation: Any, mode: Any, path_parameters: dict[str, Any] | None, examples: int, check: Callable[[Any], None]
) -> None:
    """`check` each of `examples` requests hypothesis makes for `operation` in generation `mode` (positive or
    negative), with the path parameters fixed when given. Reproducible (derandomized, no example database) so a
    failure in make test or make drills is the same failure on the next run; no deadline, as real requests vary."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case: Any) -> None:
        check(case)

    run()
