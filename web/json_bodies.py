"""How the app reads JSON request bodies: nested no deeper than any body the API takes, so that a hostile body
(an array inside an array, a thousand times over) is a 400 saying why, never a RecursionError and a 500."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32  # the deepest body the API documents is 4 (a nomination's owners' fields); 32 leaves room


class TooDeep(ValueError):
    """A JSON body nested more deeply than MAX_DEPTH. A ValueError, so Werkzeug treats it as unreadable JSON."""


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with a bound on nesting: the standard library's parser recurses once per level."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise TooDeep(f"JSON nested more than {MAX_DEPTH} deep") from None
        if depth(value) > MAX_DEPTH:
            raise TooDeep(f"JSON nested more than {MAX_DEPTH} deep")
        return value


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in item)
    return deepest
