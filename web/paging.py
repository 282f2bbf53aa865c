"""Page numbers from the query string, and the links between pages (RFC 5005 relations, RFC 8288 header)."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, request, url_for

from web.extensions import settings

MAX_PAGE = 1_000_000  # far past any register; keeps the number a small integer everywhere it goes
_KEPT = ("council", "list")  # the filters a page link carries; anything else in the query is not echoed back


def page_number() -> int:
    """The `page` asked for (1 when none); a request for anything but a whole number in range is refused with 400."""
    raw = request.args.get("page", "1").strip()
    if not re.fullmatch(r"[0-9]{1,7}", raw) or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, f"Give the page as a whole number from 1 to {MAX_PAGE:,}, like page=2")
    return int(raw)


def page_links(page: int, pages: int) -> dict[str, str]:
    """Absolute links to this page, the first, the previous and next (when there are), and the last."""
    kept: dict[str, Any] = {name: request.args[name] for name in _KEPT if request.args.get(name)}

    def link(number: int) -> str:
        return f"{settings().base_url}{url_for(str(request.endpoint), **kept, page=number)}"

    links = {"self": link(page), "first": link(1)}
    if page > 1:
        links["previous"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    links["last"] = link(pages)
    return links


def link_header(links: dict[str, str]) -> str:
    """The same links as an HTTP `Link` header, for clients that page without reading the body."""
    return ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items())
