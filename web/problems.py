"""RFC 9457 problem details: how every API error is reported."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request

PROBLEM_TYPES = "https://casework.example/problems/"


def problem(status: int, title: str, detail: str | None = None, *, code: str = "error", **extra: Any) -> Response:
    body: dict[str, Any] = {"type": f"{PROBLEM_TYPES}{code}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update({key: value for key, value in extra.items() if value is not None})
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def wants_problem() -> bool:
    return request.path.startswith("/api/")
