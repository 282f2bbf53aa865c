"""Scottish asset transfer requests after the decision, on SQLite and PostgreSQL: review, appeal, the
no-contract appeal, longer periods agreed or directed, a repeat request declined, lapses, a question asked
about the land first, and the disposal bar while another request is open."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from casework.actors import Actor
from casework.assets import AssetDetails
from casework.db import Database
from casework.queries import case_summary
from casework.services import asset_transfers, deadlines
from casework.services import transfer_requests as requests
from casework.services.case_transitions import apply_transition
from tests.integration.test_transfer_requests_and_challenges import REQUEST, case_count, moment, request, scotland
from workflows.errors import GuardFailed

pytestmark = pytest.mark.integration

PUBLISHED = {"notice_published_on": "2026-02-04", "representations_close_on": "2026-03-06"}
DECIDED = {"decided_on": "2026-03-16", "decision_notice_on": "2026-03-16", "representations_received": False}
TERMS = {"terms": "£10,000; community use only", "offer_period_ends_on": "2026-09-30"}


def act(db: Database, case_id: uuid.UUID, trigger: str, actor: Actor, data: dict[str, object], day: str) -> None:
    apply_transition(db, case_id, trigger, actor, data, now=moment(day))


def published(db: Database, officer: Actor, member: Actor, school: uuid.UUID) -> uuid.UUID:
    """A request made on Monday 2 February 2026, validated that day and published on the 4th."""
    case_id = request(db, member, school)
    act(db, case_id, "validate", officer, {"validation_date": "2026-02-02", "acknowledged_on": "2026-02-03"},
        "2026-02-03")  # fmt: skip
    act(db, case_id, "publish", officer, PUBLISHED, "2026-02-04")
    return case_id


def in_contract(db: Database, officer: Actor, member: Actor, school: uuid.UUID) -> uuid.UUID:
    """Agreed on 16 March; the body's offer on Monday 1 June: the contract is due by Monday 30 November."""
    case_id = published(db, officer, member, school)
    act(db, case_id, "agree", officer, {**DECIDED, **TERMS}, "2026-03-16")
    act(db, case_id, "submit_offer", member, {"offer_submitted_on": "2026-06-01"}, "2026-06-01")
    return case_id


def due(db: Database, case_id: uuid.UUID, timer: str) -> date:
    deadline = case_summary(db, case_id).deadline(timer)
    assert deadline is not None and deadline.status == "pending", f"no pending {timer} deadline"
    return deadline.due_date


def test_a_refusal_is_reviewed_then_appealed_and_the_ministers_set_a_longer_offer_period(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = published(db, officer, member, school)
    act(db, case_id, "refuse", officer, {**DECIDED, "reasons": "The school is needed for a nursery"}, "2026-03-16")
    act(db, case_id, "request_review", member, {}, "2026-04-01")
    assert due(db, case_id, "review_decision") == date(2026, 9, 30)  # 6 months beginning with 1 April
    act(db, case_id, "review_refuse", officer, {"review_decided_on": "2026-05-01", "review_body": "committee",
        "reasons": "The nursery need stands"}, "2026-05-01")  # fmt: skip
    assert due(db, case_id, "appeal") == date(2026, 5, 28)  # 20 working days beginning with Friday 1 May

    with pytest.raises(GuardFailed, match="after the time limit ended on Thursday 28 May 2026"):
        act(db, case_id, "appeal", member, {}, "2026-05-29")
    act(db, case_id, "appeal", member, {}, "2026-05-28")
    with pytest.raises(GuardFailed, match="must end no earlier than Tuesday 2 February 2027"):
        act(db, case_id, "ministers_allow", officer, {"ministers_decided_on": "2026-08-03",
            "decision_notice_on": "2026-08-03", "terms": "£5,000", "offer_period_ends_on": "2027-02-01"},
            "2026-08-03")  # fmt: skip
    act(db, case_id, "ministers_allow", officer, {"ministers_decided_on": "2026-08-03",
        "decision_notice_on": "2026-08-03", "terms": "£5,000", "offer_period_ends_on": "2027-03-31"},
        "2026-08-03")  # fmt: skip

    allowed = case_summary(db, case_id)
    offer = allowed.deadline("offer")
    assert allowed.state == "agreed" and offer is not None and offer.due_date == date(2027, 3, 31)
    assert offer.rule == "scotland.atr_offer_period_set"  # the period the notice states, not the 6-month floor
    assert any("at least 6 months beginning with the date it is given" in step for step in offer.explanation)


def test_no_decision_in_a_longer_period_agreed_opens_a_review_window_that_closes(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = published(db, officer, member, school)
    assert due(db, case_id, "decision") == date(2026, 8, 1)
    with pytest.raises(GuardFailed, match="must end after Saturday 1 August 2026"):
        act(db, case_id, "agree_longer_decision_period", officer, {"longer_period_agreed_on": "2026-07-01",
            "decision_due_by": "2026-08-01"}, "2026-07-01")  # fmt: skip
    act(db, case_id, "agree_longer_decision_period", officer, {"longer_period_agreed_on": "2026-07-01",
        "decision_due_by": "2026-09-30"}, "2026-07-01")  # fmt: skip

    extended = case_summary(db, case_id)
    decision = extended.deadline("decision")
    assert decision is not None and decision.due_date == date(2026, 9, 30)
    assert decision.rule == "scotland.atr_decision_agreed" and "s.82(8)" in decision.basis
    assert "the later date agreed with the community transfer body" in decision.explanation[0]
    assert [d.status for d in extended.deadlines if d.timer == "decision"] == ["cancelled", "pending"]
    assert extended.events[-1].summary == "Record a longer decision period agreed"
    assert due(db, case_id, "review_request_no_decision") == date(2026, 10, 27)  # 20 working days from 30 Sep

    with pytest.raises(GuardFailed, match="can be made from Wednesday 30 September 2026"):
        act(db, case_id, "request_review", member, {}, "2026-09-29")
    with pytest.raises(GuardFailed, match=r"until the end of Tuesday 27 October 2026"):
        act(db, case_id, "request_review", officer, {"review_requested_on": "2026-10-28"}, "2026-10-28")
    act(db, case_id, "request_review", member, {}, "2026-09-30")  # the day the period expires is day 1
    assert case_summary(db, case_id).state == "review"


def test_no_review_decision_in_time_lets_the_body_appeal_within_the_window_only(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = published(db, officer, member, school)
    act(db, case_id, "refuse", officer, {**DECIDED, "reasons": "Needed for a nursery"}, "2026-03-16")
    act(db, case_id, "request_review", member, {}, "2026-04-01")
    act(db, case_id, "agree_longer_review_period", officer, {"review_longer_period_agreed_on": "2026-09-01",
        "review_due_by": "2027-05-31"}, "2026-09-01")  # fmt: skip
    assert due(db, case_id, "review_decision") == date(2027, 5, 31)
    assert due(db, case_id, "appeal_no_review_decision") == date(2027, 6, 25)

    with pytest.raises(GuardFailed, match="can be made from Monday 31 May 2027"):
        act(db, case_id, "appeal", member, {}, "2027-04-23")
    with pytest.raises(GuardFailed, match="until the end of Friday 25 June 2027"):
        act(db, case_id, "appeal", officer, {"appeal_lodged_on": "2027-06-28"}, "2027-06-28")
    act(db, case_id, "appeal", member, {}, "2027-06-25")
    assert case_summary(db, case_id).state == "appeal"


def test_a_no_contract_appeal_is_in_time_from_the_day_the_contract_period_expires_to_working_day_10(
    db: Database,
) -> None:
    officer, member, school = scotland(db)
    first = in_contract(db, officer, member, school)
    assert due(db, first, "contract") == date(2026, 11, 30)
    assert due(db, first, "no_contract_appeal") == date(2026, 12, 11)  # a deadline row the sweeper keeps
    with pytest.raises(GuardFailed, match="can be made from Monday 30 November 2026"):
        act(db, first, "no_contract_appeal", member, {}, "2026-11-27")
    act(db, first, "no_contract_appeal", member, {}, "2026-11-30")  # day 1: the date the period expires
    assert case_summary(db, first).state == "no_contract_appeal"

    second = in_contract(db, officer, member, school)
    deadlines.sweep(db, now=moment("2026-12-01", 1))  # the contract period has run out with no contract
    expired = case_summary(db, second)
    assert expired.state == "contract_expired"
    with pytest.raises(GuardFailed, match="until the end of Friday 11 December 2026"):
        act(db, second, "no_contract_appeal", officer, {"appeal_lodged_on": "2026-12-14"}, "2026-12-14")
    act(db, second, "no_contract_appeal", member, {}, "2026-12-11")  # working day 10
    assert case_summary(db, second).state == "no_contract_appeal"

    third = in_contract(db, officer, member, school)
    deadlines.sweep(db, now=moment("2026-12-01", 1))
    deadlines.sweep(db, now=moment("2026-12-12", 1))  # and nobody appealed
    assert case_summary(db, third).state == "lapsed"


def test_a_longer_contract_period_directed_by_the_ministers_moves_both_deadlines(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = in_contract(db, officer, member, school)
    act(db, case_id, "extend_contract_period", officer, {"contract_extended_on": "2026-11-02",
        "contract_due_by": "2027-01-15", "contract_extension_basis": "directed"}, "2026-11-02")  # fmt: skip
    contract = case_summary(db, case_id).deadline("contract")
    assert contract is not None and contract.due_date == date(2027, 1, 15)
    assert contract.rule == "scotland.atr_contract_extended" and contract.basis == "CE(S)A 2015 s.83(7)(b)"
    assert due(db, case_id, "no_contract_appeal") == date(2027, 1, 28)
    deadlines.sweep(db, now=moment("2026-12-01", 1))
    assert case_summary(db, case_id).state == "contract"  # the old date no longer ends it
    act(db, case_id, "conclude", officer, {"contract_concluded_on": "2027-01-10"}, "2027-01-10")
    assert case_summary(db, case_id).state == "transferred"


def test_a_repeat_of_a_request_refused_within_two_years_may_be_declined_and_a_new_one_may_not(
    db: Database,
) -> None:
    officer, member, school = scotland(db)
    refused = published(db, officer, member, school)
    act(db, refused, "refuse", officer, {**DECIDED, "reasons": "Needed for a nursery"}, "2026-03-16")
    deadlines.sweep(db, now=moment("2026-04-11", 1))  # no review asked for
    assert case_summary(db, refused).state == "closed_refused"

    (body,) = member.organisation_ids
    again = requests.make_request(db, member, school, body, REQUEST, now=moment("2026-05-01")).case_id
    act(db, again, "decline_repeat", officer, {"declined_on": "2026-05-05", "reasons": "As the request refused in "
        "March 2026"}, "2026-05-05")  # fmt: skip
    assert case_summary(db, again).state == "declined_repeat"

    other_land = scotland_land(db, officer)
    fresh = requests.make_request(db, member, other_land, body, REQUEST, now=moment("2026-05-01")).case_id
    with pytest.raises(GuardFailed, match="only a request like one it refused within the last 2 years"):
        act(db, fresh, "decline_repeat", officer, {"declined_on": "2026-05-05", "reasons": "x"}, "2026-05-05")


def scotland_land(db: Database, officer: Actor) -> uuid.UUID:
    return asset_transfers.offer_asset(db, officer, AssetDetails(name="Glenbogle Pier", address="Harbour Road"))


def test_a_request_lapses_when_the_offer_period_stated_in_the_notice_passes_with_no_offer(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = published(db, officer, member, school)
    act(db, case_id, "agree", officer, {**DECIDED, **TERMS}, "2026-03-16")
    assert due(db, case_id, "offer") == date(2026, 9, 30)  # the notice's date, after the 15 September minimum
    deadlines.sweep(db, now=moment("2026-09-30", 12))
    assert case_summary(db, case_id).state == "agreed"  # the body still has the whole of 30 September
    deadlines.sweep(db, now=moment("2026-10-01", 1))
    assert case_summary(db, case_id).state == "lapsed"


def test_a_validation_date_before_the_request_arrived_is_refused_and_nothing_is_written(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = request(db, member, school)
    before = case_summary(db, case_id)
    with pytest.raises(GuardFailed, match="cannot be before the request was received on Monday 2 February 2026"):
        act(db, case_id, "validate", officer, {"validation_date": "2025-06-01", "acknowledged_on": "2026-02-03"},
            "2026-02-03")  # fmt: skip
    after = case_summary(db, case_id)
    assert (after.state, after.version, len(after.events)) == (before.state, before.version, len(before.events))


def test_a_question_about_the_land_comes_first_and_the_request_is_made_from_the_same_draft(db: Database) -> None:
    officer, member, school = scotland(db)
    (body,) = member.organisation_ids
    asked = requests.ask_about_land(db, member, school, body, "Who holds the title, and are there burdens?",
                                    now=moment("2026-01-12"))  # fmt: skip
    act(db, asked.case_id, "give_information", officer, {"info_given_on": "2026-01-19",
        "information_given": "Title ARG1234, held by the council; a right of way across the playground"},
        "2026-01-19")  # fmt: skip
    made = request(db, member, school)
    assert made == asked.case_id and case_count(db) == 1
    facts = case_summary(db, made).facts
    assert facts["info_requested_on"] == "2026-01-12" and facts["disposal_bar_from"] == "2026-02-02"


def test_while_one_request_is_open_the_land_cannot_be_transferred_on_another(db: Database) -> None:
    officer, member, school = scotland(db)
    first = request(db, member, school)
    second = in_contract(db, officer, member, school)
    first_reference = case_summary(db, first).reference
    with pytest.raises(GuardFailed, match=rf"request {first_reference}, made on Monday 2 February 2026, is still"):
        act(db, second, "conclude", officer, {"contract_concluded_on": "2026-07-01"}, "2026-07-01")
    act(db, first, "withdraw", member, {"withdrawal_reasons": "We back the other bid"}, "2026-07-02")
    act(db, second, "conclude", officer, {"contract_concluded_on": "2026-07-03"}, "2026-07-03")
    assert case_summary(db, second).state == "transferred"


def test_a_disposal_the_bar_excepts_is_recorded_with_its_basis_and_a_late_one_is_still_barred(db: Database) -> None:
    """s.84(12): negotiations already under way before the other request was made take the disposal outside the
    bar; negotiations begun after it do not. The exception relied on is recorded on the case with its basis."""
    officer, member, school = scotland(db)
    first = request(db, member, school)  # made on Monday 2 February 2026
    second = in_contract(db, officer, member, school)
    first_reference = case_summary(db, first).reference
    late = {"contract_concluded_on": "2026-07-01", "bar_exception": "negotiations", "bar_exception_on": "2026-02-10"}

    with pytest.raises(GuardFailed) as refused:
        act(db, second, "conclude", officer, late, "2026-07-01")
    assert refused.value.reasons == (
        (
            "Another asset transfer request for this land is still open, so the council may not transfer it to anyone "
            f"else until that request is disposed of: asset transfer request {first_reference}, made on Monday "
            "2 February 2026, is still open (CE(S)A 2015 s.84): Tuesday 10 February 2026 is not before the request was "
            "made on Monday 2 February 2026, so CE(S)A 2015 s.84(12) does not apply (CE(S)A 2015 s.84(2)-(4), (11))"
        ),
    )

    act(db, second, "conclude", officer, {**late, "bar_exception_on": "2026-01-20"}, "2026-07-01")

    concluded = case_summary(db, second)
    assert concluded.state == "transferred"
    assert concluded.facts["disposal_bar_exception"] == {
        "exception": "negotiations",
        "text": "Negotiations to dispose of the land to another person were under way before the request was made",
        "basis": "CE(S)A 2015 s.84(12)",
        "on": "2026-01-20",
        "requests": [(f"asset transfer request {first_reference}, made on Monday 2 February 2026, is still open "
                     "(CE(S)A 2015 s.84)")],
    }  # fmt: skip


def test_a_ministers_direction_lifts_the_bar_whenever_it_was_given(db: Database) -> None:
    officer, member, school = scotland(db)
    request(db, member, school)
    second = in_contract(db, officer, member, school)
    direction = {"contract_concluded_on": "2026-07-01", "bar_exception": "ministers_direction",
                 "bar_exception_on": "2026-06-20"}  # fmt: skip
    act(db, second, "conclude", officer, direction, "2026-07-01")
    assert case_summary(db, second).facts["disposal_bar_exception"]["basis"] == "CE(S)A 2015 s.84(13)"
