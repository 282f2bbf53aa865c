"""What the owner reads when asking for a review: the step in their own words, and what happens next (s.92; Sch.2)."""

from __future__ import annotations

from workflows.party_words import PartyWords

REVIEW_REQUEST = PartyWords(
    title="Ask for a review",
    submit="Send the request for a review",
    labels=(("review_grounds", "Why should the council review the listing?"),),
    hints=(
        (
            "review_grounds",
            (
                "Say why you think the land does not meet the test of community value, or what the council got wrong. "
                "You can add documents to the case afterwards."
            ),
        ),
    ),
    ticks=(("oral_hearing_requested", "I would like an oral hearing"),),
    next_steps=(
        "The council will write to you to say how the review will be carried out.",
        (
            "A senior officer who took no part in the listing decision will review it. They must decide within 8 weeks "
            "of the day the council received your request, unless you agree a longer time."
        ),
        (
            "If you asked for an oral hearing, the council will tell you when and where it will be. You can bring "
            "someone to speak for you."
        ),
        (
            "The land stays listed while the review is carried out. If the review confirms the listing, you can appeal "
            "to the First-tier Tribunal."
        ),
    ),
)
