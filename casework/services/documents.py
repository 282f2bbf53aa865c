"""Evidence and correspondence: uploads checked by their content (not their name) and their size."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

import filetype
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.adapters.storage import FileStorage
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import Case, Document, Organisation
from casework.permissions import check_case_access, check_case_read
from casework.queries.case_page import document_visible
from workflows.roles import STAFF_ROLES, Role

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    "application/pdf": ("pdf", "PDF"),
    "image/jpeg": ("jpg", "JPG"),
    "image/png": ("png", "PNG"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "Word (DOCX)"),
    "application/vnd.oasis.opendocument.text": ("odt", "OpenDocument text (ODT)"),
}
KINDS = ", ".join(label for _, label in ALLOWED.values())


@dataclass(frozen=True)
class StoredFile:
    id: uuid.UUID
    filename: str
    content_type: str
    size_bytes: int
    public: bool
    content: bytes


def safe_filename(name: str, extension: str) -> str:
    """A name safe to show and to offer for download: no paths, no control characters, the real extension."""
    base = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w\s().,-]", "", stem, flags=re.UNICODE).strip(" .")[:120] or "document"
    return f"{stem}.{extension}"


def upload(
    db: Database,
    storage: FileStorage,
    actor: Actor,
    *,
    filename: str,
    content: bytes,
    case_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
    description: str | None = None,
    public: bool = False,
    now: datetime | None = None,
) -> uuid.UUID:
    """Store a document against a case or an organisation. One transaction; raises InvalidInput for a bad file."""
    now = now or clock.utcnow()
    mime = _checked_type(content)
    extension = ALLOWED[mime][0]
    with db.transaction() as session:
        council_id = _check_may_attach(session, actor, case_id, organisation_id)
        document_id = uuid.uuid4()
        key = f"{council_id}/{document_id}.{extension}"
        storage.put(key, content)
        session.add(
            Document(
                id=document_id,
                council_id=council_id,
                case_id=case_id,
                organisation_id=organisation_id,
                filename=safe_filename(filename, extension),
                content_type=mime,
                size_bytes=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                storage_key=key,
                description=(description or "").strip()[:2000] or None,
                public=public and actor.role in STAFF_ROLES,
                uploaded_by=actor.user_id,
                uploaded_at=now,
            )
        )
        return document_id


def _checked_type(content: bytes) -> str:
    """The file's type, told by its content (not its name), if it is one we keep and not empty or too big."""
    if not content:
        raise InvalidInput({"file": "The selected file is empty"})
    if len(content) > MAX_BYTES:
        raise InvalidInput({"file": "The selected file must be smaller than 10 MB"})
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED:
        raise InvalidInput({"file": f"The selected file must be a {KINDS}"})
    return str(kind.mime)


def _check_may_attach(
    session: Session, actor: Actor, case_id: uuid.UUID | None, organisation_id: uuid.UUID | None
) -> uuid.UUID:
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("There is no such case")
        check_case_access(session, actor, case)
        return case.council_id
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise NotFound("There is no such organisation")
    if organisation.id in actor.organisation_ids or (
        actor.role in STAFF_ROLES and actor.council_id == organisation.council_id
    ):
        return organisation.council_id
    raise PermissionDenied("You can only add documents to your own group")


def open_document(db: Database, storage: FileStorage, actor: Actor | None, document_id: uuid.UUID) -> StoredFile:
    """A document's bytes, if `actor` may see it: anyone for a public one; otherwise its group or the council."""
    with db.reader() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise NotFound("There is no such document")
        if not document.public:
            if actor is None:
                raise PermissionDenied("Sign in to see this document")
            if actor.role is not Role.SYSTEM and not _may_see(session, actor, document):
                raise PermissionDenied("You cannot see this document")
        return StoredFile(
            document.id,
            document.filename,
            document.content_type,
            document.size_bytes,
            document.public,
            storage.get(document.storage_key),
        )


def _may_see(session: Session, actor: Actor, document: Document) -> bool:
    if not document_visible(actor, document):
        return False
    if document.case_id is None or actor.role in STAFF_ROLES:
        return True
    try:
        check_case_read(session, actor, session.get_one(Case, document.case_id))
    except PermissionDenied:
        return False
    return True
