"""Periods of the English regimes: ACV listing, the moratorium, compensation, the right to challenge.

STATUTE.md §2.7, §3.4, §3.6, §5.5 and §11; each rule cites its section or regulation.
"""

from __future__ import annotations

from datetime import time

from workflows.periods.calendars import CalendarKind
from workflows.periods.commencements import ENGLAND_ACV, ENGLAND_CHALLENGE
from workflows.periods.rule import Counting, Process, Rule, Unit

_GRC_5PM = time(17, 0)
_EW = CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS

ACV_RULES = (
    Rule(
        "acv.nomination_decision",
        Process.ACV,
        "Decide a nomination",
        8,
        Unit.WEEKS,
        Counting.WITHIN_OF,
        "the day the council received the nomination",
        "ACV Regs reg.7",
        in_force=ENGLAND_ACV,
        notes="No statutory consequence if missed; the land is not protected while the nomination is pending.",
    ),
    Rule(
        "acv.listing_expiry",
        Process.ACV,
        "Listing lasts 5 years",
        5,
        Unit.YEARS,
        Counting.BEGINNING_WITH,
        "the date of the entry in the list",
        "LA 2011 s.87(3)",
        in_force=ENGLAND_ACV,
        notes="The entry is removed with effect from the end of this day.",
    ),
    Rule(
        "acv.unsuccessful_retention",
        Process.ACV,
        "Unsuccessful-list entry may be removed after 5 years",
        5,
        Unit.YEARS,
        Counting.BEGINNING_WITH,
        "the date of the entry in the unsuccessful list",
        "LA 2011 s.93(3)(a)",
        in_force=ENGLAND_ACV,
        notes="Removal is optional and possible from the day after this date.",
    ),
    Rule(
        "acv.review_request",
        Process.ACV,
        "Owner asks for a review of a listing",
        8,
        Unit.WEEKS,
        Counting.BEGINNING_WITH,
        "the day written notice of inclusion was given (or alternative steps completed)",
        "ACV Regs Sch.2 para.1",
        extension="or any longer period the council allows in writing",
        in_force=ENGLAND_ACV,
    ),
    Rule(
        "acv.review_decision",
        Process.ACV,
        "Complete a listing review",
        8,
        Unit.WEEKS,
        Counting.BEGINNING_WITH,
        "the day the council received the written request for review",
        "ACV Regs Sch.2 para.9",
        extension="or any longer period agreed with the owner in writing",
        in_force=ENGLAND_ACV,
        notes="No deemed outcome if missed.",
    ),
    Rule(
        "acv.tribunal_appeal",
        Process.ACV,
        "Appeal a listing review to the First-tier Tribunal",
        28,
        Unit.DAYS,
        Counting.AFTER,
        "the date the review decision notice was sent",
        "GRC Rules r.22(1)(b), r.12; ACV Regs reg.11",
        cutoff=_GRC_5PM,
        roll_forward=_EW,
        in_force=ENGLAND_ACV,
        notes="The notice of appeal must be received by the Tribunal; a late appeal needs an extension (r.22(4)).",
    ),
    Rule(
        "acv.tribunal_response",
        Process.ACV,
        "Council's response to an appeal",
        28,
        Unit.DAYS,
        Counting.AFTER,
        "the day the council received the notice of appeal",
        "GRC Rules r.23(1)(b), r.12",
        cutoff=_GRC_5PM,
        roll_forward=_EW,
        in_force=ENGLAND_ACV,
    ),
    Rule(
        "acv.upper_tribunal_permission",
        Process.ACV,
        "Ask permission to appeal to the Upper Tribunal",
        28,
        Unit.DAYS,
        Counting.AFTER,
        "the latest of the decision notice and the written reasons",
        "GRC Rules r.42(2), r.12",
        cutoff=_GRC_5PM,
        roll_forward=_EW,
        in_force=ENGLAND_ACV,
    ),
)

MORATORIUM_RULES = (
    Rule(
        "moratorium.interim",
        Process.MORATORIUM,
        "Interim moratorium",
        6,
        Unit.WEEKS,
        Counting.BEGINNING_WITH,
        "the day the council received the owner's notice",
        "LA 2011 s.95(3)(a), (6)",
        in_force=ENGLAND_ACV,
        notes="A community interest group's request must be received by the end of this day.",
    ),
    Rule(
        "moratorium.full",
        Process.MORATORIUM,
        "Full moratorium",
        6,
        Unit.MONTHS,
        Counting.BEGINNING_WITH,
        "the day the council received the owner's notice",
        "LA 2011 s.95(3)(b), (6)",
        in_force=ENGLAND_ACV,
        notes="Includes the interim 6 weeks.",
    ),
    Rule(
        "moratorium.protected",
        Process.MORATORIUM,
        "Protected period",
        18,
        Unit.MONTHS,
        Counting.BEGINNING_WITH,
        "the day the council received the owner's notice",
        "LA 2011 s.95(4), (6); ACV Regs reg.13(1)",
        in_force=ENGLAND_ACV,
        notes="A disposal must be entered into before this period ends; after it a new notice is needed.",
    ),
)

COMPENSATION_RULES = (
    Rule(
        "compensation.claim",
        Process.COMPENSATION,
        "Claim compensation",
        13,
        Unit.WEEKS,
        Counting.AFTER,
        "the day the loss or expense was incurred or finished being incurred",
        "ACV Regs reg.14(5)(b)",
        in_force=ENGLAND_ACV,
        notes="A later claim is out of time (Fielder v Harrogate BC [2019]).",
    ),
    Rule(
        "compensation.review_request",
        Process.COMPENSATION,
        "Ask for a review of a compensation decision",
        8,
        Unit.WEEKS,
        Counting.BEGINNING_WITH,
        "the date the council gave written reasons",
        "ACV Regs reg.16; Sch.2 para.2",
        extension="or any longer period the council allows in writing",
        in_force=ENGLAND_ACV,
    ),
    Rule(
        "compensation.review_decision",
        Process.COMPENSATION,
        "Complete a compensation review",
        8,
        Unit.WEEKS,
        Counting.BEGINNING_WITH,
        "the day the council received the written request for review",
        "ACV Regs reg.16; Sch.2 para.9",
        extension="or any longer period agreed with the claimant in writing",
        in_force=ENGLAND_ACV,
    ),
    Rule(
        "compensation.tribunal_appeal",
        Process.COMPENSATION,
        "Appeal a compensation review to the Tribunal",
        28,
        Unit.DAYS,
        Counting.AFTER,
        "the date the review decision notice was sent",
        "GRC Rules r.22(1)(b), r.12; ACV Regs reg.17",
        cutoff=_GRC_5PM,
        roll_forward=_EW,
        in_force=ENGLAND_ACV,
    ),
)

CHALLENGE_RULES = (
    Rule(
        "challenge.decision_period_notice",
        Process.CHALLENGE,
        "Tell the body when a decision is expected",
        30,
        Unit.DAYS,
        Counting.BEGINNING_WITH,
        "the day the expression of interest was received",
        "LA 2011 s.84(7)(b)",
        in_force=ENGLAND_CHALLENGE,
    ),
    Rule(
        "challenge.decision_period_notice_window",
        Process.CHALLENGE,
        "Tell the body when a decision is expected (expression of interest made in a window)",
        30,
        Unit.DAYS,
        Counting.BEGINNING_IMMEDIATELY_AFTER,
        "the last day of the submission window",
        "LA 2011 s.84(7)(a)",
        in_force=ENGLAND_CHALLENGE,
    ),
)


# Community asset transfer in England is policy, not statute (STATUTE.md §4.1); these are the dates a case fixes.
ASSET_TRANSFER_RULES = (
    Rule(
        "asset_transfer.decide_by",
        Process.POLICY,
        "Deferred decision: the date set",
        1,
        Unit.DAYS,
        Counting.ON_DATE,
        "the date by which the decision-maker now expects to decide, set when the decision was deferred",
        "deferral of the decision (T7)",
        notes="A target the council set itself when it deferred the decision, not a statutory period.",
    ),
    Rule(
        "asset_transfer.eoi_window_advertised",
        Process.POLICY,
        "Expressions of interest close: the window advertised for the asset",
        1,
        Unit.DAYS,
        Counting.ON_DATE,
        "the closing date of the window the council advertised for this asset",
        "one advertised window for every group applying for the asset (T3)",
        notes="The application joined a window already advertised, so it closes when that window does.",
    ),
    Rule(
        "asset_transfer.objections_close",
        Process.ASSET_TRANSFER,
        "Objections to disposing of open space close",
        1,
        Unit.DAYS,
        Counting.ON_DATE,
        "the closing date for objections stated in the newspaper notice",
        "LGA 1972 s.123(2A)",
        notes=(
            "The council must consider any objections made before it disposes of the land, so it considers them "
            "only once this date has passed."
        ),
    ),
)


# When a notice sent by post is served. Interpretation Act 1978 s.7: service by post is effected at the time the
# letter would be delivered in the ordinary course of post; taken, as CPR r.6.26 takes it, as the second working
# day after first-class posting. Whether s.7 itself applies to a notice the Act requires only "in writing" is
# doubtful (STATUTE.md §1.3), so the date is shown as the day it would arrive, beside the posting date itself.
SERVICE_RULES = (
    Rule(
        "service.first_class_post",
        Process.SERVICE,
        "A letter posted first class arrives in the ordinary course of post",
        2,
        Unit.WORKING_DAYS,
        Counting.AFTER,
        "the day the letter was posted first class",
        "Interpretation Act 1978 s.7",
        calendar=_EW,
        notes="The second working day after posting (as CPR r.6.26 counts it); the posting date is the proof.",
    ),
)
