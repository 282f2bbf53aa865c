"""Letters through GOV.UK Notify's precompiled letter API: hand over the PDF, then ask what became of it.

Notify prints and posts a precompiled letter as it is, after checking that
nothing is printed outside its areas (casework.notifying.letters.layout). Its statuses
for letters: pending-virus-check, virus-scan-failed, validation-failed,
accepted (printing), received (handed to the postal service), cancelled,
technical-failure and permanent-failure. A returned letter is reported by
Notify's returned-letter callback, not by a status.

Errors are read as the email adapter reads them: 400 and 403 will never
succeed, 429 and 5xx and an unreachable service will later, and a request that
may have reached Notify is never sent again by itself.
"""

from __future__ import annotations

import io

from casework.adapters.mail import ProviderStatus
from casework.adapters.notify import notify_failure, notify_status


class NotifyLetters:
    def __init__(self, api_key: str, *, base_url: str | None = None, postage: str = "first", timeout: float = 60):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            api_key, base_url=base_url or "https://api.notifications.service.gov.uk", timeout=timeout
        )
        self.postage = postage

    def send(self, reference: str, pdf: bytes) -> str:
        """Hand over one letter; returns Notify's id for it. Raises MailRejected, MailerUnavailable or
        MailDeliveryUncertain as the email adapter does."""
        from notifications_python_client.errors import APIError

        try:
            response = self.client.send_precompiled_letter_notification(
                reference=reference, pdf_file=io.BytesIO(pdf), postage=self.postage
            )
        except APIError as exc:
            raise notify_failure(exc, "the letter") from exc
        return str(response["id"])

    def status(self, reference: str) -> ProviderStatus | None:
        """What Notify says became of the letter with this id; None if it no longer knows it."""
        return notify_status(self.client, reference)


def letters_for(api_key: str | None, base_url: str | None, postage: str = "first") -> NotifyLetters | None:
    """Notify's letters when a key is set; None means officers print and post the letters themselves."""
    return NotifyLetters(api_key, base_url=base_url, postage=postage) if api_key else None
