"""Reports: nominations decided within the statutory 8 weeks, open moratoria, monthly figures; tables and CSV."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple, fields
from typing import Any

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.db import Database
from casework.queries import reports
from casework.register.exports import table_csv
from web import auth
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.officer import bp


@bp.route("/reports")
@auth.acting_as(*STAFF)
def reports_page() -> ResponseReturnValue:
    actor = require_actor()
    decided = reports.decisions(casework_db(), actor)
    within = sum(1 for row in decided if row.within)
    return render_template(
        "officer/reports.html",
        decisions=decided,
        within=within,
        moratoria=reports.open_moratoria(casework_db(), actor),
        months=reports.monthly(casework_db(), actor),
    )


REPORTS: dict[str, tuple[Callable[[Database, Actor], Sequence[Any]], type]] = {
    "decisions": (reports.decisions, reports.DecisionRow),
    "open-moratoria": (reports.open_moratoria, reports.MoratoriumRow),
    "monthly": (reports.monthly, reports.MonthRow),
}


@bp.route("/reports/<name>.csv")
@auth.acting_as(*STAFF)
def report_csv(name: str) -> ResponseReturnValue:
    if name not in REPORTS:
        abort(404)
    report, row_type = REPORTS[name]
    header = [field.name.replace("_", "-") for field in fields(row_type)]
    body = table_csv(header, (astuple(row) for row in report(casework_db(), require_actor())))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
