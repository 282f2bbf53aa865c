"""Sending email through GOV.UK Notify, and reading Notify's answers the same way for emails and letters
(casework.adapters.notify_letters): what a failed request means, and what became of a notification.
"""

from __future__ import annotations

from typing import Any

from casework.adapters.mail import Email, MailDeliveryUncertain, MailerUnavailable, MailRejected, ProviderStatus


class NotifyMailer:
    """GOV.UK Notify, through a template whose content is ((subject)) and ((body)).

    Errors follow Notify's API documentation: 400 and 403 will never succeed; 429
    (rate limit) and 500 ("resend your notification") and an unreachable service
    will, later. A request that may have reached Notify (a read timeout, a dropped
    connection, a gateway timeout) is not sent again: it may have been accepted.
    """

    def __init__(self, api_key: str, template_id: str, *, base_url: str | None = None, timeout: float = 30) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            api_key, base_url=base_url or "https://api.notifications.service.gov.uk", timeout=timeout
        )
        self.template_id = template_id

    def send(self, email: Email) -> str:
        from notifications_python_client.errors import APIError

        try:
            response = self.client.send_email_notification(
                email_address=email.to,
                template_id=self.template_id,
                personalisation={"subject": email.subject, "body": email.text},
                reference=email.reference,
                one_click_unsubscribe_url=email.unsubscribe_url,
            )
        except APIError as exc:
            raise notify_failure(exc, "the message") from exc
        return str(response["id"])

    def status(self, reference: str) -> ProviderStatus | None:
        return notify_status(self.client, reference)

    def find(self, reference: str) -> str | None:
        """Did Notify accept an email with our reference (a try that may have gone)? Its id if so.

        Notify sets its own Message-ID, so a second request would be a second
        email with another: before sending one again, ask (GET /v2/notifications?reference=).
        """
        from notifications_python_client.errors import APIError

        try:
            found = self.client.get_all_notifications(reference=reference, template_type="email")
        except APIError as exc:
            raise MailerUnavailable(f"GOV.UK Notify did not say whether it has the email: {exc}") from exc
        notifications = found.get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None


def notify_failure(exc: Any, what: str) -> MailDeliveryUncertain | MailerUnavailable | MailRejected:
    """What a failed request to GOV.UK Notify (its client's APIError) means for sending `what` (an email, a
    letter): 400 and 403 will never succeed, 429, 5xx and an unreachable service will later, and a request that
    may have reached Notify is uncertain, never sent again by itself."""
    reply = exc.response
    if reply is None and _never_connected(exc):
        return MailerUnavailable(f"GOV.UK Notify could not be reached: {exc.__cause__}")
    if reply is None:
        return MailDeliveryUncertain(f"GOV.UK Notify stopped answering while sending: {exc.__cause__}")
    if reply.status_code in (400, 403):
        return MailRejected(f"GOV.UK Notify refused {what}: {_notify_errors(exc)}")
    if reply.status_code in (429, 500, 502, 503):
        return MailerUnavailable(f"GOV.UK Notify is unavailable ({reply.status_code}): {_notify_errors(exc)}")
    return MailDeliveryUncertain(
        f"GOV.UK Notify failed while accepting {what} ({reply.status_code}): {_notify_errors(exc)}"
    )


def notify_status(client: Any, notification_id: str) -> ProviderStatus | None:
    """What GOV.UK Notify says became of a notification (an email or a letter); None if it does not know it."""
    from notifications_python_client.errors import APIError

    try:
        found = client.get_notification_by_id(notification_id)
    except APIError as exc:
        if exc.response is not None and exc.response.status_code in (400, 404):
            return None  # not a notification Notify knows (it keeps them for 7 days)
        raise MailerUnavailable(f"GOV.UK Notify did not say: {exc}") from exc
    return ProviderStatus(str(found["status"]))


def _never_connected(exc: BaseException) -> bool:
    """Did the request fail before a connection was made (so Notify certainly never saw it)?"""
    from requests.exceptions import ConnectionError as NotConnected
    from requests.exceptions import ConnectTimeout
    from urllib3.exceptions import NewConnectionError

    cause = exc.__cause__
    if isinstance(cause, ConnectTimeout):
        return True
    if isinstance(cause, NotConnected) and cause.args:
        reason = getattr(cause.args[0], "reason", cause.args[0])
        return isinstance(reason, NewConnectionError)
    return False


def _notify_errors(exc: Any) -> str:
    """Notify's own words: {"errors": [{"error": "BadRequestError", "message": "..."}]}."""
    message = exc.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message)
    return str(message)
