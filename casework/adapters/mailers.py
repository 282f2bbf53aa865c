"""The mailer the settings choose: GOV.UK Notify, an SMTP server, or files for a developer's machine."""

from __future__ import annotations

from casework.adapters.mail import FileMailer, Mailer
from casework.adapters.notify import NotifyMailer
from casework.adapters.smtp import SmtpMailer
from casework.config import Settings


def mailer_for(settings: Settings) -> Mailer:
    """GOV.UK Notify if a key is set, else SMTP if a URL is set, else files in `mail_dir`."""
    if settings.notify_api_key:
        if not settings.notify_template_id:
            raise ValueError("NOTIFY_API_KEY is set but NOTIFY_TEMPLATE_ID is not")
        return NotifyMailer(settings.notify_api_key, settings.notify_template_id, base_url=settings.notify_base_url)
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return FileMailer(settings.mail_dir, settings.mail_from)
