"""Rows that are one listing's disposal cycles ("CAMACV17 (1st moratorium)", "CAMACV17 (2nd moratorium)")
merged into that listing, its cycles in the order their notices came (s.95(2)-(4), s.95(6))."""

from __future__ import annotations

from casework.register.import_row import Cycle, ImportRow
from workflows.date_bounds import ENGLAND_ACV


def merge_cycles(rows: list[ImportRow]) -> None:
    """Rows for one listing's disposal cycles become one listing carrying its cycles in date order; each merged
    row says so, and loads nothing of its own."""
    by_reference: dict[str, list[ImportRow]] = {}
    for row in rows:
        if row.reference:
            by_reference.setdefault(row.reference, []).append(row)
    for group in by_reference.values():
        if len(group) < 2 or all(row.cycle_number is None for row in group):
            continue
        group.sort(key=lambda row: (row.cycle_number or 0, row.line))
        listing, others = group[0], group[1:]
        for other in others:
            _merge_into(listing, other)
        _collect_cycles(listing, group)


def _merge_into(listing: ImportRow, other: ImportRow) -> None:
    other.merged_into = listing.line
    other.warnings.append(
        f"merged into line {listing.line}: the same listing ({listing.reference}), "
        f"{_ordinal(other.cycle_number)} disposal cycle"
    )
    if other.decision and listing.decision and other.decision != listing.decision:
        other.errors.append(
            f"decision {other.decision} differs from line {listing.line}'s {listing.decision} for the same listing"
        )
    for attribute in ("description", "nominating_group", "point", "boundary", "uprn", "reasons", "notes"):
        if getattr(listing, attribute) is None and getattr(other, attribute) is not None:
            setattr(listing, attribute, getattr(other, attribute))
            listing.warnings.append(f"{attribute.replace('_', '-')} taken from line {other.line}")
    if other.end_date and (listing.end_date is None or other.end_date > listing.end_date):
        listing.end_date = other.end_date
        listing.warnings.append(f"end-date {other.end_date} taken from line {other.line}")


def _collect_cycles(listing: ImportRow, group: list[ImportRow]) -> None:
    """The cycles in the order their notices came; a notice inside an earlier cycle's protected period is an
    error (a fresh notice starts a new cycle only after the protected period, s.95(2)-(4), s.95(6))."""
    # A notice from before the regime is refused already (casework.register.checks) and starts no cycle.
    noticed = sorted(
        (row for row in group if row.notice_date and row.notice_date >= ENGLAND_ACV.on),
        key=lambda row: (row.notice_date, row.line),
    )
    for row in noticed:
        assert row.notice_date is not None  # noqa: S101 - filtered above
        earlier = listing.cycles[-1] if listing.cycles else None
        if earlier is not None and row.notice_date <= earlier.protected_end:
            row.errors.append(
                f"notification-to-sell-date {row.notice_date} falls inside the protected period of the cycle on "
                f"line {earlier.line}, which runs until {earlier.protected_end} (LA 2011 s.95(6))"
            )
            continue
        if row is not listing and listing.entry_date and row.notice_date < listing.entry_date:
            row.errors.append(f"notification-to-sell-date is before the land was listed (line {listing.line})")
            continue
        listing.cycles.append(Cycle(row.line, row.notice_date, row.interested_group))
    if listing.cycles:
        latest = listing.cycles[-1]
        if len(listing.cycles) > 1 or latest.line != listing.line:
            listing.warnings.append(
                f"{len(listing.cycles)} disposal cycle(s) in date order, from lines "
                f"{', '.join(str(cycle.line) for cycle in listing.cycles)}; the entry shows the latest "
                f"(notice received {latest.notice_date})"
            )
        listing.notice_date, listing.interested_group = latest.notice_date, latest.interested_group


def _ordinal(number: int | None) -> str:
    if number is None:
        return "a"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"the {number}{suffix}"
