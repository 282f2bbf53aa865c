"""Storing an uploaded file from a page: one place for the form check, the call to casework and its refusals."""

from __future__ import annotations

import uuid
from typing import Any

from casework.actors import Actor
from casework.errors import CaseworkError
from casework.services import documents
from web.extensions import casework_db, storage
from web.forms import put_errors


def store_upload(
    form: Any,
    actor: Actor,
    *,
    fallback_name: str,
    case_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
    public: bool = False,
) -> bool:
    """Check the form and store its file (type and size are casework's to judge); False puts the reasons on it."""
    if not form.validate_on_submit():
        return False
    try:
        documents.upload(
            casework_db(),
            storage(),
            actor,
            filename=form.file.data.filename or fallback_name,
            content=form.file.data.read(),
            case_id=case_id,
            organisation_id=organisation_id,
            description=form.description.data,
            public=public,
        )
    except CaseworkError as refusal:
        put_errors(form, getattr(refusal, "errors", {"file": "; ".join(refusal.reasons)}), "file")
        return False
    return True
