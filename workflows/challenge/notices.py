"""Who the right to challenge tells, of what, on what authority (LA 2011 ss.81, 83-84).

Each transition in workflows.challenge.definition names the notices it sends.
"""

from __future__ import annotations

from workflows.definition import Notice
from workflows.roles import Party

CHALLENGE_RECEIVED = Notice(
    "challenge_received", (Party.APPLICANT,), "LA 2011 s.81", "Your expression of interest has been received"
)
CHALLENGE_DECISION_PERIOD = Notice(
    "challenge_decision_period",
    (Party.APPLICANT,),
    "LA 2011 s.84(6)-(7)",
    "When the council expects to decide on your expression of interest",
)
CHALLENGE_MODIFICATION = Notice(
    "challenge_modification",
    (Party.APPLICANT,),
    "LA 2011 s.84(1)-(2)",
    "The council proposes a change to your expression of interest",
)
CHALLENGE_ACCEPTED = Notice(
    "challenge_accepted", (Party.APPLICANT,), "LA 2011 s.84(8)", "Your expression of interest has been accepted"
)
CHALLENGE_ACCEPTED_ON_ACCEPT_MODIFIED = Notice(
    "challenge_accepted",
    (Party.APPLICANT,),
    "LA 2011 s.84(8)",
    "Your expression of interest has been accepted as modified",
)
CHALLENGE_REJECTED = Notice(
    "challenge_rejected", (Party.APPLICANT,), "LA 2011 s.84(8)", "Your expression of interest has been rejected"
)
CHALLENGE_PROCUREMENT = Notice(
    "challenge_procurement", (Party.APPLICANT,), "LA 2011 s.83(2)", "The procurement exercise has started"
)
