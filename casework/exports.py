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
from casework.queries.register import EntryView

# Exactly the fields of the planning.data.gov.uk asset-of-community-value dataset, in its order.
PLANNING_DATA_FIELDS = (
    "reference", "name", "address-text", "description", "decision", "decision-date", "nomination-date",
    "nominating-group", "notification-to-sell-date", "interested-group", "protected-period-start-date",
    "expiry-date", "geometry", "point", "organisation", "notes", "entry-date", "start-date", "end-date", "entity",
    "prefix",
)  # fmt: skip


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def planning_data_row(entry: EntryView) -> dict[str, str]:
    """One entry in the national data standard's terms.

    `start-date` is the date of entry in the list (s.87(3) runs from it) and
    `entry-date` the date this record was last changed; the protected period
    begins with the day the notice was received (s.95(6)).
    """
    notes = "; ".join(filter(None, [entry.removal_reason, entry.reasons, entry.notes, entry.review_status]))
    return {
        "reference": entry.reference,
        "name": entry.name,
        "address-text": entry.address,
        "description": entry.description or "",
        "decision": entry.decision,
        "decision-date": _iso(entry.decision_date),
        "nomination-date": _iso(entry.nomination_date),
        "nominating-group": entry.nominating_group or "",
        "notification-to-sell-date": _iso(entry.notification_to_sell_date),
        "interested-group": entry.interested_group or "",
        "protected-period-start-date": _iso(entry.notification_to_sell_date),
        "expiry-date": _iso(entry.expiry_date),
        "geometry": entry.boundary or "",
        "point": entry.point or "",
        "organisation": f"local-authority:{entry.council_code}",
        "notes": notes,
        "entry-date": entry.updated_at.date().isoformat(),
        "start-date": _iso(entry.entry_date),
        "end-date": _iso(entry.end_date),
        "entity": "",
        "prefix": "asset-of-community-value",
    }


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
        shape = entry.boundary or entry.point
        features.append(
            {
                "type": "Feature",
                "id": entry.reference,
                "geometry": geometry.to_geojson(shape) if shape else None,
                "properties": {k: v for k, v in properties.items() if k not in ("geometry", "point")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def to_atom(entries: Iterable[EntryView], base_url: str, *, title: str, now: datetime) -> bytes:
    """New listings and owners' notices, newest first."""
    items: list[tuple[datetime, str, str, str, EntryView]] = []
    for entry in entries:
        url = f"{base_url}/register/{entry.council_code}/{entry.reference}"
        if entry.list_kind == "listed":
            items.append(
                (
                    _moment(entry.entry_date),
                    f"Listed: {entry.name}",
                    f"{url}#listed",
                    f"{entry.name}, {entry.address}, was listed as an asset of community value.",
                    entry,
                )
            )
        if entry.notification_to_sell_date:
            text = (
                f"The owner of {entry.name} intends to sell. A community interest group may ask to be treated as a "
                f"potential bidder until the end of {entry.interim_end_date}."
            )
            items.append(
                (
                    _moment(entry.notification_to_sell_date),
                    f"Owner's notice: {entry.name}",
                    f"{url}#notice-{entry.notification_to_sell_date}",
                    text,
                    entry,
                )
            )
    items.sort(key=lambda item: item[0], reverse=True)
    ET.register_namespace("", "http://www.w3.org/2005/Atom")
    feed = ET.Element("{http://www.w3.org/2005/Atom}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", f"{base_url}/register.atom")
    _sub(feed, "updated", (items[0][0] if items else now).isoformat())
    ET.SubElement(feed, "{http://www.w3.org/2005/Atom}link", href=f"{base_url}/register.atom", rel="self")
    for updated, heading, item_id, summary, entry in items[:200]:
        item = ET.SubElement(feed, "{http://www.w3.org/2005/Atom}entry")
        _sub(item, "title", heading)
        _sub(item, "id", item_id)
        _sub(item, "updated", updated.isoformat())
        ET.SubElement(item, "{http://www.w3.org/2005/Atom}link", href=item_id.split("#")[0])
        author = ET.SubElement(item, "{http://www.w3.org/2005/Atom}author")
        _sub(author, "name", entry.council_name)
        _sub(item, "summary", summary)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


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
