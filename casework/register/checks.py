"""One row's dates and decision checked against the Act: nothing from the future or from before the regime,
a listing's date of entry and five years (s.87(3)), an unsuccessful nomination's reasons (s.93(3)(b)).

The specification has no column for the date land was entered in the list: it is
read from `date-listed` when a file has one, else from the `expiry-date` (five
years beginning with it, s.87(3)), else the decision date is used.
"""

from __future__ import annotations

from datetime import date, timedelta

from casework.register.import_row import ImportRow
from workflows.date_bounds import ENGLAND_ACV
from workflows.periods import compute, long_date

# Columns whose dates record something that has already happened: none of them can be in the future.
_PAST_DATES = (
    ("nomination_date", "nomination-date"),
    ("decision_date", "decision-date"),
    ("entry_date", "date-listed"),
    ("notice_date", "notification-to-sell-date"),
)


def check_row(row: ImportRow, today: date | None) -> None:
    """Every check of one row on its own; with `today`, a date of something that has happened must not be later."""
    if today is not None:
        _check_not_future(row, today)
    _check_after_commencement(row)
    _check_consistency(row)


def _check_not_future(row: ImportRow, today: date) -> None:
    for attribute, column in _PAST_DATES:
        value: date | None = getattr(row, attribute)
        if value is not None and value > today:
            row.errors.append(f"{column} {value} is in the future: it records something that has already happened")


def _check_after_commencement(row: ImportRow) -> None:
    """No listing, nomination or notice from before the regime existed: a 1900 in a spreadsheet is a slip."""
    commenced = ENGLAND_ACV
    for attribute, column in _PAST_DATES:
        value: date | None = getattr(row, attribute)
        if value is not None and value < commenced.on:
            row.errors.append(
                f"{column} {value} is before {long_date(commenced.on)}, when {commenced.regime} commenced "
                f"({commenced.basis})"
            )


def _check_consistency(row: ImportRow) -> None:
    if row.nomination_date and row.decision_date and row.nomination_date > row.decision_date:
        row.errors.append(
            f"nomination-date {row.nomination_date} is after decision-date {row.decision_date}: "
            "a nomination is decided after it is received (ACV Regs reg.7)"
        )
    if row.decision == "listed":
        _check_listed(row)
    if row.decision == "not-listed":
        _check_unsuccessful(row)
    if row.notice_date and row.entry_date and row.notice_date < row.entry_date:
        row.errors.append("notification-to-sell-date is before the land was listed")


def _check_listed(row: ImportRow) -> None:
    if row.entry_date is None and row.expiry_date is not None:
        derived = listed_on(row.expiry_date, row.decision_date)
        # An expiry-date that would put the entry before the decision is not the statutory one: not used.
        if derived is not None and (row.decision_date is None or derived >= row.decision_date):
            row.entry_date = derived
    if row.entry_date is None and row.decision_date is None:
        row.errors.append("a listed asset needs a decision-date (or a date-listed)")
        return
    if row.entry_date is None:
        row.entry_date = row.decision_date
        row.warnings.append("no date-listed: the decision-date is used as the date of entry (s.87(3))")
    assert row.entry_date is not None  # noqa: S101 - narrowed above
    if row.decision_date and row.entry_date < row.decision_date:
        row.errors.append(
            f"date-listed {row.entry_date} is before decision-date {row.decision_date}: land is entered in the "
            "list on or after the decision to list it (LA 2011 s.87(3), s.90(4))"
        )
    if row.entry_date < ENGLAND_ACV.on:
        return  # refused already (_check_after_commencement): no five years run from before the regime existed
    statutory = compute("acv.listing_expiry", row.entry_date).due
    if row.expiry_date and row.expiry_date != statutory:
        row.warnings.append(
            f"expiry-date {row.expiry_date} differs from the statutory end {statutory} "
            "(5 years beginning with the entry date, s.87(3)); the statutory date is used"
        )
    row.expiry_date = statutory


def listed_on(expiry: date, decided: date | None) -> date | None:
    """The date of entry whose five years (beginning with it, s.87(3)) end on `expiry`; None if none does.

    Around 29 February two dates can end on the same day: the one nearer the decision is taken. A date before
    the regime commenced is no date of entry: no listing, and no five years, began then.
    """
    if expiry.year <= 5:  # no five years before it on the calendar
        return None
    try:
        near = expiry.replace(year=expiry.year - 5) + timedelta(days=1)
    except ValueError:  # expiry on 29 February; five years earlier had none
        near = date(expiry.year - 5, 3, 1)
    candidates = [day for day in (near + timedelta(days=shift) for shift in range(-3, 4)) if day >= ENGLAND_ACV.on]
    matching = [day for day in candidates if compute("acv.listing_expiry", day).due == expiry]
    if not matching:
        return None
    return min(matching, key=lambda day: abs((day - (decided or day)).days))


def _check_unsuccessful(row: ImportRow) -> None:
    row.reasons = row.reasons or row.notes
    if not row.reasons:
        row.errors.append("an unsuccessful nomination must carry its reasons (s.93(3)(b)): add a reasons column")
    if row.decision_date is None:
        row.errors.append("an unsuccessful nomination needs a decision-date")
    if row.notice_date:
        row.errors.append("notification-to-sell-date is only possible for listed land (s.95)")
