"""Taking a workflow action from a page: the form, the call to casework, and its refusals put back on the form.

Shared by the officers' case page and the page groups and owners see.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.clock import london_date, utcnow
from casework.errors import CaseworkError, StaleCase
from casework.queries.case_page import ActionView, CaseActions, CasePage
from casework.queries.submissions import WITHDRAW
from casework.services.case_transitions import apply_transition
from casework.vocabulary import STAFF_ROLES, InvalidData, PartyWords, WorkflowRefusal
from web.extensions import casework_db
from web.forms import ActionFormBase, action_data, action_form, put_errors, show_hidden_errors, show_refusal
from web.party_words import in_party_words, relabel

# Pages of their own, by the name a transition gives them (Transition.page): the page gathers what casework needs
# first (a nomination records its land and checks its contents as it is sent; a request to bid names a group, whose
# record decides whether it is a community interest group). Each is (the page a group or owner uses, an officer's).
PAGES = {
    "nomination": ("community.check_nomination", "community.check_nomination"),
    "eoi_assessment": ("officer.assess_eoi", "officer.assess_eoi"),  # each of the policy's criteria, then decide
    "request_to_bid": ("community.bid", "officer.record_bid"),  # a group asks; an officer records a letter
}


def _own_page(case: CasePage | CaseActions, trigger: str, *, staff: bool) -> str | None:
    action = find_action(case, trigger)
    if action is None or not action.page:
        return None
    party, officer = PAGES[action.page]
    return officer if staff else party


def action_url(case: CasePage | CaseActions, trigger: str, generic: str = "cases.action") -> str:
    """Where to take `trigger` on `case`: its own page, or the generic action form at `generic`."""
    own = _own_page(case, trigger, staff=generic.startswith("officer."))
    if own is not None:
        return url_for(own, reference=case.reference)
    return url_for(generic, reference=case.reference, trigger=trigger)


def find_action(case: CasePage | CaseActions, trigger: str) -> ActionView | None:
    return next((action for action in case.actions if action.trigger == trigger), None)


def action_gone(case: CaseActions, *, back: str) -> ResponseReturnValue:
    """The action asked for is not open on the case. A form sent from an older version of the case lost a race
    (another officer acted first, so the action has gone): say the case changed, as the engine does, and show it as
    it is now. Anything else is a link to an action the case never offered: 404."""
    sent = request.form.get("version", "") if request.method == "POST" else ""
    if sent.isascii() and sent.isdigit() and int(sent) != case.version:
        flash("; ".join(StaleCase(case.reference).reasons))
        return redirect(url_for(back, reference=case.reference))
    abort(404)


def _form(case: CaseActions, action: ActionView, words: PartyWords | None, *, auto_today: bool) -> ActionFormBase:
    """The action's form, in the words of the person taking it when they are not the council's."""
    form_class = action_form(action, auto_today=auto_today)
    form: ActionFormBase = (in_party_words(form_class, words) if words else form_class)(
        version=case.version, trigger=action.trigger
    )
    if words:
        relabel(form, words)
    return form


def take_action(
    actor: Actor, case: CaseActions, action: ActionView, *, template: str, back: str
) -> ResponseReturnValue:
    """Show the action's form; on a valid POST apply the transition, then back to the case."""
    staff = back.startswith("officer.")
    if _own_page(case, action.trigger, staff=staff) is not None:
        return redirect(action_url(case, action.trigger, "officer.action" if staff else "cases.action"))
    auto_today = actor.role not in STAFF_ROLES
    words = None if staff else action.party_words
    form = _form(case, action, words, auto_today=auto_today)
    if form.validate_on_submit():
        data = action_data(form, action, today=london_date(utcnow()), auto_today=auto_today)
        try:
            apply_transition(casework_db(), case.id, action.trigger, actor, data, expected_version=form.version.data)
        except StaleCase as stale:
            flash("; ".join(stale.reasons))
            return redirect(url_for(back, reference=case.reference))
        except InvalidData as invalid:
            put_errors(form, invalid.errors, "submit_action")
        except (WorkflowRefusal, CaseworkError) as refusal:
            show_refusal(form, "submit_action", refusal)
        else:
            if not staff and action.fields and action.trigger != WITHDRAW:  # a party sent the council something
                return redirect(url_for("cases.confirmation_page", reference=case.reference))
            flash(f"Done: {action.label.lower()}.", "success")
            return redirect(url_for(back, reference=case.reference))
    show_hidden_errors(form, "submit_action", "version", "trigger")
    return render_template(template, case=case, action=action, form=form, back=back, words=words)
