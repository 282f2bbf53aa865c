"""What each party sent the council on a case, grouped as the form grouped it, with the files beside it.

An officer deciding a nomination, or a panel scoring an application, needs what was submitted, not
only the address and the group: reg.6 of the ACV Regs lists what a nomination contains, and a
transfer policy scores the application against its criteria. Two kinds of record hold it:

- a nomination keeps its answers in the case's `nomination` fact, one part per question page;
- everything else a party sends (an owner's notice, a request to bid, a review request, an appeal,
  a compensation claim, a transfer enquiry, expression of interest or business case, a challenge
  expression of interest) is a transition that a group or owner may make, its answers recorded in
  the transition's event under the names of the workflow's fields, whose labels say what each is.

Files a party uploads belong to its submission: to the one it made last before uploading (a review
request, then its grounds), or, when it had made none yet, to its first (a nomination's evidence,
uploaded while the draft was written).

A withdrawal is kept beside them, labelled as one (its reason is what the group said), and the
council's own answers on a party's form (a late request allowed in writing, a choice to consider an
expression of interest out of its window) are left out when the council gave none: the party was
never asked them, so "Not provided" would blame them for a gap that is not theirs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.assets import CATEGORIES
from casework.db import Database
from casework.errors import CaseNotFound
from casework.models import Case, CaseEvent, Document, User
from casework.permissions import check_case_read
from casework.policies import of_case
from casework.queries.case_page import DocumentView, document_visible
from workflows import challenge, registry
from workflows.definition import Definition, Field, FieldKind, Transition
from workflows.periods import long_date
from workflows.policies import ChallengePolicy
from workflows.roles import Role

PARTY_ROLES = frozenset({Role.COMMUNITY_MEMBER, Role.OWNER})  # the people whose forms these are
NOT_PROVIDED = "Not provided"


@dataclass(frozen=True)
class Answer:
    label: str
    value: str


@dataclass(frozen=True)
class AnswerGroup:
    """One page or section of the form, as the party saw it; `files` are those that support its answers."""

    title: str
    answers: tuple[Answer, ...]
    files: tuple[DocumentView, ...] = ()
    page: str = ""  # the question page of the form that asked it, for a "Change" link while it is a draft


@dataclass(frozen=True)
class Submission:
    title: str
    sent_by: str
    sent_at: datetime
    groups: tuple[AnswerGroup, ...]
    withdrawal: bool = False  # the party took it back: shown as a withdrawal, not as something more to consider
    trigger: str = ""
    sent_by_id: uuid.UUID | None = None  # the account that sent it, so its sender can be shown what they sent


def submissions(db: Database, actor: Actor, reference: str) -> tuple[Submission, ...]:
    """Everything parties submitted on the case, oldest first, as `actor` may see it.

    Raises CaseNotFound or PermissionDenied.
    """
    with db.reader() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).first()
        if case is None:
            raise CaseNotFound(f"There is no case {reference}")
        check_case_read(session, actor, case)
        return case_submissions(session, actor, case)


def case_submissions(session: Session, actor: Actor, case: Case) -> tuple[Submission, ...]:
    """The submissions of a case already read under the actor's checks (for the pages that show it whole)."""
    defn = registry.get(case.workflow, case.workflow_version)
    rows = session.execute(
        select(CaseEvent, User.name)
        .outerjoin(User, User.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == "transition")
        .order_by(CaseEvent.seq)
    ).all()
    sent = [(event, name, transition) for event, name in rows if (transition := _party_form(defn, event)) is not None]
    files = _files_by_submission(session, actor, case, [event for event, _, _ in sent])
    labels = _choice_labels(session, case)
    result = []
    for event, name, transition in sent:
        sender = name or event.actor_role.replace("_", " ").capitalize()
        attached = files.get(event.id, ())
        if case.workflow == "acv_listing" and event.trigger == "submit" and "nomination" in case.facts:
            groups = nomination_groups(case.facts["nomination"], attached)
            result.append(
                Submission("The nomination", sender, event.occurred_at, groups, False, "submit", event.actor_id)
            )
            continue
        answers = tuple(
            Answer(_question(f.label), _shown(f, event.data.get(f.name), labels.get(f.name, {})))
            for f in transition.fields
            if not (f.staff_only and event.data.get(f.name) in (None, ""))
        )
        groups = (AnswerGroup("", answers, attached),)  # one form, one list
        withdrawal = transition.trigger == WITHDRAW
        title = _withdrawal_title(transition.label) if withdrawal else _title(transition.label)
        result.append(
            Submission(title, sender, event.occurred_at, groups, withdrawal, transition.trigger, event.actor_id)
        )
    return tuple(result)


WITHDRAW = "withdraw"  # every workflow's trigger by which a party takes back what it sent


def _choice_labels(session: Session, case: Case) -> dict[str, dict[str, str]]:
    """Names for answers chosen from the case's policy rather than the workflow: a challenge names its service by
    the id the council's policy gives it, which means nothing to a reader."""
    if case.workflow != challenge.NAME or case.policy_id is None:
        return {}
    rules = of_case(session, case).rules
    if not isinstance(rules, ChallengePolicy):
        return {}
    return {"service": {service.id: service.name for service in rules.services}}


def _party_form(defn: Definition, event: CaseEvent) -> Transition | None:
    """The transition behind the event, when it is one a group or owner makes with answers of its own."""
    for transition in defn.transitions:
        if (
            transition.trigger == event.trigger
            and event.to_state == transition.destination(event.from_state or "")
            and transition.who & PARTY_ROLES
            and transition.fields
        ):
            return transition
    return None


def _files_by_submission(
    session: Session, actor: Actor, case: Case, sent: list[CaseEvent]
) -> dict[uuid.UUID, tuple[DocumentView, ...]]:
    """Each file a party uploaded, under the submission it supports; staff's own uploads stay the council's."""
    documents = session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.uploaded_at))
    attached: dict[uuid.UUID, list[DocumentView]] = {}
    for d in documents:
        own = [e for e in sent if e.actor_id == d.uploaded_by and e.actor_role in PARTY_ROLES]
        if not own or not document_visible(actor, d):
            continue
        before = [e for e in own if e.occurred_at <= d.uploaded_at]
        event = before[-1] if before else own[0]
        view = DocumentView(d.id, d.filename, d.content_type, d.size_bytes, d.description, d.public, d.uploaded_at)
        attached.setdefault(event.id, []).append(view)
    return {event_id: tuple(views) for event_id, views in attached.items()}


def nomination_groups(data: dict[str, Any], files: tuple[DocumentView, ...]) -> tuple[AnswerGroup, ...]:
    """The nomination as its six question pages asked it (web/community/nomination_steps.py, STEPS), every answer
    shown, a skipped one as "Not provided": the officer reading it, and the group checking it before sending it."""
    asset = data.get("asset", {})
    land = data.get("land", {}) if data.get("land_answered", True) else {}
    owners = "\n".join(_party(o) for o in data.get("owners", []))
    return (
        AnswerGroup("About the place", (
            Answer("Name of the place", _text(asset.get("name"))),
            Answer("Address", _text(asset.get("address"))),
            Answer("Postcode", _text(asset.get("postcode"))),
            Answer("Unique property reference number (UPRN)", _text(asset.get("uprn"))),
            Answer("Kind of place", _category(asset)),
            Answer("Ward", _text(asset.get("ward"))),
            Answer("Parishes the land is in", ", ".join(asset.get("parishes") or ()) or "Not in a parish"),
        ), page="asset"),
        AnswerGroup("The land and its boundaries (reg.6(a))", (
            Answer("The land and its boundaries", _text(data.get("boundary_description"))),
            Answer("Location (latitude, longitude)", _latitude_longitude(asset.get("point"))),
            *((Answer("Boundary drawn", "Yes, on the map"),) if asset.get("boundary") else ()),
        ), page="land"),
        AnswerGroup("Who uses and owns it (reg.6(b))", (
            Answer("Who uses or occupies the land now", _text(data.get("occupants"))),
            Answer("Who owns the land, and any leaseholders", _text(data.get("ownership"))),
            Answer("Owners and occupiers to tell", owners or NOT_PROVIDED),
        ), page="people"),
        AnswerGroup("Why it matters to the community (reg.6(c))", (
            Answer("Why the land is of community value", _text(data.get("reasons"))),
        ), page="reasons"),
        AnswerGroup("Why the group can nominate (reg.6(d))", (
            Answer("Why the group is eligible to nominate", _text(data.get("eligibility_evidence"))),
        ), files, page="evidence"),
        AnswerGroup("Land that cannot be listed (Sch.1)", (
            Answer("Someone's home, or land that goes with a home", _yes_no(land.get("residence"))),
            *([Answer("The home is only part of the building", _yes_no(land.get("residence_partly_other_use")))]
              if land.get("residence") else []),  # asked only of a home
            Answer("A caravan site that needs a site licence", _yes_no(land.get("caravan_site"))),
            Answer("Operational land of a utility or transport company", _yes_no(land.get("operational_land"))),
        ), page="listability"),
    )  # fmt: skip


def _category(asset: dict[str, Any]) -> str:
    """The kind of place, once the page asking it was answered: a new draft's "other" is a default, not a choice."""
    if not asset.get("name"):
        return NOT_PROVIDED
    return CATEGORIES.get(asset.get("category") or "", _text(asset.get("category")))


def _party(party: dict[str, Any]) -> str:
    """One owner or occupier the group named: the form asks for an email; a paper or API one may give more."""
    kind = _sentence(str(party.get("kind") or "owner"))
    details = [str(party[key]) for key in ("name", "address", "email") if party.get(key) and party[key] != kind]
    return f"{kind}: {', '.join(details)}"


def _shown(field: Field, value: Any, names: dict[str, str]) -> str:
    """A recorded answer in words: dates written out, choices by their label, money in pounds."""
    if value is None or value == "":
        return NOT_PROVIDED
    if str(value) in names:
        return names[str(value)]
    if field.kind is FieldKind.DATE and isinstance(value, str):
        return long_date(date.fromisoformat(value))
    if field.kind is FieldKind.BOOL:
        return _yes_no(value)
    if field.kind is FieldKind.CHOICE:
        return dict(field.choices).get(str(value), str(value))
    if field.kind is FieldKind.MONEY:
        try:
            return f"£{Decimal(str(value)):,.2f}"
        except InvalidOperation:
            return str(value)
    return str(value)


def _title(label: str) -> str:
    """What was sent, not the action that sent it: "Send the enquiry" heads its answers as "The enquiry"."""
    verb, _, rest = label.partition(" ")
    if verb in {"Send", "Record", "Submit", "Make"} and rest.split(" ")[0] in {"the", "a", "an"}:
        return _sentence(rest)
    if label.startswith(ASKING):  # "Ask the council for information about the land": a request for information
        return "A request for " + label.removeprefix(ASKING)
    return label


ASKING = "Ask the council for "


def sent_heading(submission: Submission) -> str:
    """The confirmation page's panel: "Nomination sent", "Request for review sent"."""
    first, _, rest = submission.title.partition(" ")
    noun = rest if first in {"The", "A", "An"} and rest else submission.title
    return f"{_sentence(noun)} sent"


def _withdrawal_title(label: str) -> str:
    """ "Withdraw the nomination" heads its record as "Withdrawal of the nomination"."""
    return "Withdrawal of " + label.partition(" ")[2] if label.startswith("Withdraw ") else label


def _question(label: str) -> str:
    """A field's noun phrase as a summary list key: "answer to whether X" asks "Whether X"."""
    return _sentence(label.removeprefix("answer to "))


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") and str(value).strip() else NOT_PROVIDED


def _yes_no(value: Any) -> str:
    return NOT_PROVIDED if value is None else ("Yes" if value else "No")


def _latitude_longitude(point: str | None) -> str:
    if not point:
        return NOT_PROVIDED
    longitude, latitude = point.removeprefix("POINT (").rstrip(")").split()
    return f"{latitude}, {longitude}"
