"""GOV.UK Notify's delivery-status callbacks, routed by the kind of notification they are about.

Notify calls back once a notification reaches a final status (and polling,
casework.notifying.receipts.check_provider_statuses, asks about the rest).
Each kind of notification this service sends through Notify has a handler:
emails are deliveries (casework.notifying.receipts), letters are letters
(casework.notifying.letters.statuses).
"""

from __future__ import annotations

from collections.abc import Callable

from casework.db import Database
from casework.errors import InvalidInput
from casework.notifying import receipts
from casework.notifying.letters import statuses
from casework.notifying.receipts import ProviderCallback

Handler = Callable[[Database, ProviderCallback], str]  # records the callback; returns the status recorded

HANDLERS: dict[str, Handler] = {
    "email": receipts.record_callback,
    "letter": statuses.record_callback,
}


def record(db: Database, callback: ProviderCallback) -> str:
    """Hand the callback to the handler of its notification type; InvalidInput for a type this service never
    sends, NotFound (from the handler) for a notification it does not know. One transaction (the handler's)."""
    handler = HANDLERS.get(callback.notification_type)
    if handler is None:
        kinds = ", ".join(sorted(HANDLERS))
        raise InvalidInput(
            {"notification_type": f"This service sends no {callback.notification_type} through GOV.UK Notify: {kinds}"}
        )
    return handler(db, callback)
