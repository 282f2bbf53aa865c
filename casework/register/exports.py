"""The register as downloads: planning.data.gov.uk CSV, GeoJSON, JSON, an Atom feed and an iCalendar feed.

Pure functions over query rows, so the web, the API and the CLI produce the same files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from icalendar import Calendar, Event

from casework import geometry
from casework.queries.entry_views import EntryView
from casework.queries.register import FeedPage

# The fields of the asset-of-community-value specification, in its order (digital-land/specification,
# content/specification/asset-of-community-value.md). `entity` and `prefix` are the platform's to assign.
PLANNING_DATA_FIELDS = (
    "reference", "name", "address-text", "description", "point", "geometry", "organisation", "nomination-date",
    "nominating-group", "decision", "decision-date", "expiry-date", "notification-to-sell-date", "interested-group",
    "protected-period-start-date", "notes", "entry-date", "start-date", "end-date",
)  # fmt: skip
# "the decision whether successful or unsuccessful": the words of the specification, not our list names.
NATIONAL_DECISIONS = {"listed": "successful", "not-listed": "unsuccessful"}


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def planning_data_row(entry: EntryView) -> dict[str, str]:
    """One entry in the national specification's terms.

    `start-date` is the date the asset was nominated and `entry-date` the date this
    record was created or last changed, as the specification defines them; the date
    of entry in the list (s.87(3)) is carried by `expiry-date`, five years beginning
    with it. The protected period begins with the day the notice was received (s.95(6)).
    """
    point = entry.point or (geometry.centre_of(entry.boundary) if entry.boundary else None)
    return {
        "reference": entry.reference,
        "name": entry.name,
        "address-text": entry.address,
        "description": entry.description or "",
        "point": geometry.national_wkt(point) if point else "",
        "geometry": geometry.national_wkt(entry.boundary) if entry.boundary else "",
        "organisation": entry.organisation,
        "nomination-date": _iso(entry.nomination_date),
        "nominating-group": entry.nominating_group or "",
        "decision": NATIONAL_DECISIONS[entry.decision],
        "decision-date": _iso(entry.decision_date),
        "expiry-date": _iso(entry.expiry_date) if entry.decision == "listed" else "",
        "notification-to-sell-date": _iso(entry.notification_to_sell_date),
        "interested-group": entry.interested_group or "",
        "protected-period-start-date": _iso(entry.notification_to_sell_date),
        "notes": national_notes(entry),
        "entry-date": entry.updated_at.date().isoformat(),
        "start-date": _iso(entry.nomination_date),
        "end-date": _iso(entry.end_date),
    }


def national_notes(entry: EntryView) -> str:
    """Why an entry ended, the reasons for an unsuccessful decision, notes and any review, each said once.

    Said once so that a register loaded from this file and published again writes the same notes.
    """
    parts = [entry.removal_reason, entry.reasons, entry.notes, entry.review_status]
    return "; ".join(dict.fromkeys(part.strip() for part in parts if part and part.strip()))


def to_csv(entries: Iterable[EntryView]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PLANNING_DATA_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({key: safe_cell(value) for key, value in planning_data_row(entry).items()})
    return out.getvalue()


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV with its header row even when there are no rows, every cell made safe for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(_text(value)) for value in row] for row in rows)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def safe_cell(value: str) -> str:
    """Stop a spreadsheet treating text from the public as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def to_json(entries: Iterable[EntryView], base_url: str) -> list[dict[str, Any]]:
    """Everything public about each entry, including the end dates the national standard leaves out."""
    return [
        {
            **planning_data_row(entry),
            "list": entry.list_kind,
            "council": entry.council_name,
            "interim-moratorium-end-date": _iso(entry.interim_end_date),
            "full-moratorium-end-date": _iso(entry.full_end_date),
            "protected-period-end-date": _iso(entry.protected_end_date),
            "moratorium": entry.moratorium_state or "",
            "exempt-disposals": list(entry.exempt_disposals),
            "url": f"{base_url}/register/{entry.council_code}/{entry.reference}",
        }
        for entry in entries
    ]


def to_geojson(entries: Iterable[EntryView], base_url: str) -> dict[str, Any]:
    features = []
    for entry, properties in zip(entries := list(entries), to_json(entries, base_url), strict=True):
        shape = properties["geometry"] or properties["point"]  # WGS84, as GeoJSON's coordinates are (RFC 7946)
        features.append(
            {
                "type": "Feature",
                "id": entry.reference,
                "geometry": geometry.to_geojson(shape) if shape else None,
                "properties": {k: v for k, v in properties.items() if k not in ("geometry", "point")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def to_atom(feed: FeedPage, base_url: str, *, title: str, links: dict[str, str], now: datetime) -> bytes:
    """One page of new listings and owners' notices, newest first, with RFC 5005 paging links.

    `links` maps a relation (self, first, previous, next, last) to its URL; a reader follows `next`
    until there is none to see every item, however many there are.
    """
    ET.register_namespace("", "http://www.w3.org/2005/Atom")
    root = ET.Element("{http://www.w3.org/2005/Atom}feed")
    _sub(root, "title", title)
    _sub(root, "id", f"{base_url}/register.atom")
    _sub(root, "updated", (_moment(feed.newest) if feed.newest else now).isoformat())
    for rel, href in links.items():
        ET.SubElement(root, "{http://www.w3.org/2005/Atom}link", href=href, rel=rel)
    for item in feed.items:
        entry = item.entry
        url = f"{base_url}/register/{entry.council_code}/{entry.reference}"
        if item.kind == "listed":
            heading, item_id = f"Listed: {entry.name}", f"{url}#listed"
            summary = f"{entry.name}, {entry.address}, was listed as an asset of community value."
        else:
            heading, item_id = f"Owner's notice: {entry.name}", f"{url}#notice-{item.day}"
            summary = (
                f"The owner of {entry.name} intends to sell. A community interest group may ask to be treated as a "
                f"potential bidder until the end of {entry.interim_end_date}."
            )
        node = ET.SubElement(root, "{http://www.w3.org/2005/Atom}entry")
        _sub(node, "title", heading)
        _sub(node, "id", item_id)
        _sub(node, "updated", _moment(item.day).isoformat())
        ET.SubElement(node, "{http://www.w3.org/2005/Atom}link", href=url)
        author = ET.SubElement(node, "{http://www.w3.org/2005/Atom}author")
        _sub(author, "name", entry.council_name)
        _sub(node, "summary", summary)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _sub(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{http://www.w3.org/2005/Atom}}{tag}").text = text


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def to_ical(entries: Iterable[EntryView], base_url: str, *, now: datetime) -> bytes:
    """All-day events on the last day of each moratorium period, so groups and owners can plan."""
    calendar = Calendar()
    calendar.add("prodid", "-//casework//register//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Assets of community value: moratorium dates")
    for entry in entries:
        if not entry.notification_to_sell_date:
            continue
        url = f"{base_url}/register/{entry.council_code}/{entry.reference}"
        periods = [
            ("interim", "Interim moratorium ends", entry.interim_end_date),
            ("protected", "Protected period ends", entry.protected_end_date),
        ]
        if entry.interested_group:
            periods.insert(1, ("full", "Full moratorium ends", entry.full_end_date))
        for key, label, day in periods:
            if day is None:
                continue
            event = Event()
            event.add("uid", f"{entry.reference}-{entry.notification_to_sell_date}-{key}@{entry.council_code}")
            event.add("summary", f"{label}: {entry.name}")
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("dtstamp", now)
            event.add("url", url)
            event.add("description", f"{entry.name}, {entry.address}. The period ends at the end of this day.")
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
