"""What each notice says. `{placeholders}` come from the case; every notice also lists the case's dates.

Statutory notices carry what the law requires them to say: a listing notice
explains the consequences and the right to a review (s.91(3)); a refusal and
a removal give the reasons (s.90(6), s.91(4)).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Content:
    intro: str
    next_steps: str = ""
    show_reasons: bool = False


_REVIEW_RIGHT = (
    "The owner may ask the council to review the listing. The request must be in writing and reach the council "
    "within 8 weeks beginning with the day this notice was given (ACV Regs Sch.2 para.1)."
)
_CONSEQUENCES = (
    "While the land is listed, the owner must tell the council in writing before selling the freehold or granting "
    "or assigning a lease of 25 years or more with vacant possession. A moratorium of 6 weeks then runs, or "
    "6 months if a community interest group asks to bid (LA 2011 s.95). The listing lasts 5 years."
)

CONTENT: dict[str, Content] = {
    "nomination_acknowledged": Content(
        "The council has received the nomination of {asset} as an asset of community value.",
        "The council must decide whether to list it within 8 weeks of receiving it (ACV Regs reg.7).",
    ),
    "considering_listing": Content(
        "The council is considering whether to include {asset}, {address}, in its list of assets of community "
        "value, after a nomination by {nominator}.",
        "You do not need to do anything now. You may send the council any information you think it should consider.",
    ),
    "listed": Content(
        "{asset}, {address}, has been included in the council's list of assets of community value.",
        f"{_CONSEQUENCES} {_REVIEW_RIGHT}",
        show_reasons=True,
    ),
    "not_listed": Content(
        "The council has decided not to list {asset}. It has been added to the list of land nominated by "
        "unsuccessful community nominations, with the reasons below (LA 2011 s.93).",
        "There is no right of appeal for the nominator. You may use the council's complaints procedure.",
        show_reasons=True,
    ),
    "review_procedure": Content(
        "The council has received a request to review the listing of {asset}.",
        "The review will be carried out by a senior officer who took no part in the original decision. You may ask "
        "for an oral hearing, be represented, and make written or oral representations (ACV Regs Sch.2).",
    ),
    "review_decision": Content(
        "The council has reviewed the listing of {asset} and decided that it stays on the list.",
        "The owner may appeal to the First-tier Tribunal (General Regulatory Chamber) within 28 days of the date "
        "this decision was sent; the appeal must arrive by 5pm on the last day.",
        show_reasons=True,
    ),
    "removed_on_review": Content(
        "On review, the council has removed {asset} from its list of assets of community value. The nomination now "
        "counts as unsuccessful (LA 2011 s.92(4)).",
        show_reasons=True,
    ),
    "appeal_dismissed": Content("The First-tier Tribunal dismissed the appeal: {asset} stays on the list."),
    "removed_on_appeal": Content("The First-tier Tribunal allowed the appeal: {asset} has been removed from the list."),
    "removed": Content(
        "The council has removed {asset} from its list of assets of community value because it no longer considers "
        "it to be of community value.",
        show_reasons=True,
    ),
    "removed_after_disposal": Content("{asset} has been removed from the list after a sale of the land."),
    "entry_amended": Content("The list entry for {asset} has been amended after a sale of part of the land."),
    "listing_expired": Content(
        "{asset} was listed for 5 years; that period has ended, so it has been removed from the list (s.87(3)).",
        "A group may nominate it again if it is still of community value.",
    ),
    "owners_notice_received": Content(
        "The owner of {asset}, {address}, has told the council they intend to sell it. The council received the "
        "notice on {notice_date}.",
        "A community interest group that wants to be treated as a potential bidder must ask the council in writing "
        "by the end of the interim moratorium. Only a parish council, a charity, a company limited by guarantee, a "
        "co-operative or community benefit society, or a community interest company with a local connection can ask.",
    ),
    "owners_notice_acknowledged": Content(
        "The council received your notice of intention to sell {asset} on {notice_date}.",
        "You may market the land and negotiate, but you must not exchange contracts, except with a community "
        "interest group, until the moratorium ends. A sale must be agreed before the protected period ends.",
    ),
    "bidder_request_passed_on": Content(
        "A community interest group, {group}, has asked to be treated as a potential bidder for {asset} "
        "(LA 2011 s.98). The full moratorium of 6 months now applies.",
        "There is no obligation to sell to the group or at any price.",
    ),
    "bidder_request_recorded": Content(
        "The council has recorded {group}'s request to be treated as a potential bidder for {asset}. The full "
        "moratorium applies."
    ),
    "interim_end_corrected": Content(
        "The council received {group}'s written request to be treated as a potential bidder for {asset} within the "
        "interim moratorium, but recorded it only after the interim moratorium had been shown as ended. The request "
        "counts (LA 2011 s.95(3)(a)): the full moratorium applies, and this notice corrects the earlier one.",
        "The owner may not enter into a relevant disposal, except to a community interest group, until the full "
        "moratorium ends. The dates below are the correct ones.",
    ),
    "interim_ended": Content(
        "No community interest group asked to bid for {asset} during the interim moratorium.",
        "The owner may now sell until the protected period ends.",
    ),
    "full_ended": Content(
        "The full moratorium on {asset} has ended.",
        "The owner may now sell until the protected period ends.",
    ),
    "disposed_to_cig": Content("The sale of {asset} to a community interest group has been recorded."),
    "disposed": Content("The sale of {asset} has been recorded."),
    "protected_period_ended": Content(
        "The protected period for {asset} has ended without a sale.",
        "The owner must give a new notice before any future sale.",
    ),
    "exempt_disposal_recorded": Content(
        "An exempt disposal of {asset} has been recorded. The land stays listed.",
        "A new owner must give their own notice before selling.",
    ),
    "disposal_in_breach": Content(
        "The council has recorded a disposal of {asset} made in breach of the moratorium. Such a disposal is "
        "ineffective unless ACV Regs reg.21(2) applies."
    ),
    "moratorium_lapsed": Content("{asset} is no longer listed, so the moratorium no longer applies (LA 2011 s.95(1))."),
    "claim_acknowledged": Content(
        "The council has received a claim for compensation about {asset}.",
        "There is no statutory deadline for the council's decision; it will give written reasons.",
    ),
    "claim_decided": Content(
        "The council has decided the compensation claim about {asset}: it awards £{amount}.",
        "The claimant may ask for a review within 8 weeks beginning with the date the reasons were given.",
        show_reasons=True,
    ),
    "claim_review_procedure": Content("The council has received a request to review its compensation decision."),
    "claim_review_decided": Content(
        "The council has reviewed its compensation decision about {asset}: it awards £{amount}.",
        "The claimant may appeal to the First-tier Tribunal within 28 days of the date this decision was sent.",
        show_reasons=True,
    ),
    # Asset transfer (England): the council's policy, not statute.
    "cat_enquiry": Content(
        "The council has received {applicant}'s enquiry about taking on {asset}.",
        "It will check whether the asset is available and tell you within the time its policy sets.",
    ),
    "cat_eoi_invited": Content(
        "The council invites expressions of interest in taking on {asset}, {address}.",
        "Send an expression of interest before the closing date shown below.",
    ),
    "cat_eoi_passed": Content(
        "{applicant}'s expression of interest in {asset} has passed the council's first assessment.",
        "Please prepare a business case and send it by the date below, or the application lapses.",
        show_reasons=True,
    ),
    "cat_approved": Content(
        "The council has approved in principle the transfer of {asset} to {applicant}.",
        "Legal steps follow: for open space, a newspaper advertisement and consideration of objections (LGA 1972 "
        "s.123(2A)); for listed land, the right-to-bid moratorium where it applies (LA 2011 s.95).",
        show_reasons=True,
    ),
    "cat_refused": Content(
        "The council has decided not to go ahead with {applicant}'s application for {asset}.", show_reasons=True
    ),
    "cat_completed": Content(
        "The transfer of {asset} to {applicant} has been completed.",
        "The council will review the agreement each year with the group.",
    ),
    "cat_lapsed": Content(
        "{applicant}'s application for {asset} has lapsed: what the council's policy asked for next did not arrive "
        "in time (an expression of interest in the advertised window, or the business case)."
    ),
    "cat_rival_approved": Content(
        "The council has approved in principle another group's application for {asset}.",
        "Your application is kept in reserve: if that transfer does not go ahead, the council may return to it.",
    ),
    # Right to challenge (LA 2011 ss.81-85).
    "challenge_received": Content(
        "The council has received {applicant}'s expression of interest in running {service}.",
        "It will tell you in writing when it expects to decide (LA 2011 s.84(6)-(7)).",
    ),
    "challenge_decision_period": Content(
        "The council expects to decide on {applicant}'s expression of interest in running {service} by "
        "{expected_decision_by}."
    ),
    "challenge_modification": Content(
        "The council could accept {applicant}'s expression of interest in running {service} only with a change. It "
        "needs your agreement to the change (LA 2011 s.84(1)-(2)).",
        show_reasons=True,
    ),
    "challenge_accepted": Content(
        "The council has accepted {applicant}'s expression of interest in running {service}.",
        "It will now run a procurement exercise for the service. Your group may bid, alongside others; accepting "
        "the expression of interest does not award the contract (LA 2011 s.83(2)).",
        show_reasons=True,
    ),
    "challenge_rejected": Content(
        "The council has rejected {applicant}'s expression of interest in running {service}, on a ground set out in "
        "the Community Right to Challenge (Fire and Rescue Authorities and Rejection of Expressions of Interest) "
        "(England) Regulations 2012.",
        show_reasons=True,
    ),
    "challenge_procurement": Content(
        "The procurement exercise for {service} has started.", "Watch the council's procurement portal for how to bid."
    ),
    # Asset transfer requests (Scotland, CE(S)A 2015 Part 5).
    "atr_received": Content(
        "The council has received {applicant}'s asset transfer request for {asset}.",
        "While it is being dealt with, the council may not sell or lease the land to anyone else (s.84).",
    ),
    "atr_incomplete": Content(
        "{applicant}'s asset transfer request for {asset} is missing information. The decision period starts when "
        "the last item arrives (ATR Procedure Regulations reg.4).",
        show_reasons=True,
    ),
    "atr_validated": Content(
        "{applicant}'s asset transfer request for {asset} is complete. The validation date is {validation_date}.",
        "The council must give its decision within 6 months beginning with that date, unless you agree a longer "
        "period. If it refuses, or does not decide in time, you may ask for a review.",
    ),
    "atr_published": Content(
        "{applicant} has asked the council to transfer {asset}, {address}. Anyone may make representations about "
        "the request to the council by {representations_close_on}.",
        "The request and its documents are on the council's website until it is decided.",
    ),
    "atr_representations": Content(
        "The council has sent you the representations made about your request for {asset}.",
        "You have at least 20 working days to comment on them (ATR Procedure Regulations reg.8).",
    ),
    "atr_agreed": Content(
        "The council has agreed {applicant}'s asset transfer request for {asset}.",
        "The body may make an offer on the terms in the decision notice by {offer_period_ends_on}.",
        show_reasons=True,
    ),
    "atr_refused": Content(
        "The council has refused {applicant}'s asset transfer request for {asset}.",
        "The body may ask for a review within 20 working days beginning with the date of the decision notice.",
        show_reasons=True,
    ),
    "atr_review_refused": Content(
        "On review, the council has refused {applicant}'s asset transfer request for {asset}.",
        "The body may appeal to the Scottish Ministers within 20 working days of the review decision.",
        show_reasons=True,
    ),
    "atr_contract_period_ended": Content(
        "No contract for {asset} was concluded within the contract period.",
        "The body may appeal to the Scottish Ministers within 10 working days beginning with the day the period "
        "expired (s.83(6)); otherwise the request lapses.",
    ),
    "atr_lapsed": Content(
        "{applicant}'s asset transfer request for {asset} has lapsed: the time for the next step has passed.",
        "The body may make a new request; the council may decline one like a request it refused in the last 2 "
        "years (s.93).",
    ),
    "password_reset": Content(
        "Someone asked to reset the password for your account. If it was you, follow this link within an hour to "
        "choose a new password: {link}",
        "If you did not ask, ignore this email: your password has not changed.",
    ),
    "invitation": Content(  # accounts made by invitation before staff roles were accepted; still in outboxes
        "An account has been made for you. Follow this link to choose your password; it works once, for a week: {link}",
        "If you were not expecting this, ignore this email.",
    ),
    "confirm_email": Content(
        "Follow this link within two days to confirm that this is your email address: {link}",
        "If the council has recorded this address as that of the owner of land, or of their agent, the land will then "
        "appear under Your land. If you did not create an account, ignore this email.",
    ),
    "staff_invitation": Content(
        "{council} has invited you to work on its community rights cases as {role}. Follow this link to accept; "
        "it works once, for a week: {link}",
        "You will need to sign in with an account for this email address, or create one, to accept. If you were "
        "not expecting this, ignore this email: nothing changes unless you accept.",
    ),
    "alert_confirm": Content(
        "Someone asked {council} to email this address about {about}: when land is listed, when its owner says "
        "they intend to sell, and when a council building is offered to the community. Follow this link to "
        "confirm and start the alerts; it works for a week: {link}",
        "If it was not you, ignore this email: nothing more will be sent. Every alert has a link to stop them.",
    ),
    "digest": Content(
        "There are {count} things that need you in the next week, overdue, or waiting for a letter.",
        "Open the work queue to deal with them.",
    ),
    "reminder": Content("Reminder: {label} by the end of {due}{due_time} ({left})."),
    "overdue": Content(
        "{label} was due by the end of {due} and has not been done.",
        "Please deal with it now, or record why it is late.",
    ),
}
