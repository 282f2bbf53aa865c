"""Who acts (roles) and who is told (parties): shared vocabulary of every workflow."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is allowed to do, per council or organisation."""

    COMMUNITY_MEMBER = "community_member"  # acts for a community group: nominates, asks to bid
    OWNER = "owner"  # the owner of land, or an agent acting for them
    OFFICER = "officer"  # a council officer advancing cases
    REVIEWER = "reviewer"  # a senior officer who took no part in the decision under review
    COUNCIL_ADMIN = "council_admin"  # manages users, settings and policies
    SYSTEM = "system"  # the deadline sweeper


ROLE_LABELS: dict[Role, str] = {
    Role.COMMUNITY_MEMBER: "Community group member",
    Role.OWNER: "Owner or agent",
    Role.OFFICER: "Council officer",
    Role.REVIEWER: "Reviewer",
    Role.COUNCIL_ADMIN: "Council admin",
    Role.SYSTEM: "System",
}

STAFF_ROLES = frozenset({Role.OFFICER, Role.REVIEWER, Role.COUNCIL_ADMIN})

# Who may use a transition, as the definitions name them.
OFFICER = frozenset({Role.OFFICER})
REVIEWER = frozenset({Role.REVIEWER})
SYSTEM = frozenset({Role.SYSTEM})
GROUP_OR_OFFICER = frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER})
OWNER_OR_OFFICER = frozenset({Role.OWNER, Role.OFFICER})


class Party(StrEnum):
    """Someone the law (or good practice) says must be told, resolved to people by casework."""

    OWNER = "owner"
    OCCUPIER = "occupier"
    FREEHOLDER = "freeholder"
    LEASEHOLDERS = "leaseholders"
    PARISH_COUNCIL = "parish_council"
    NOMINATOR = "nominator"
    APPLICANT = "applicant"  # the group whose own case it is: an asset transfer, a challenge, a transfer request
    COMMUNITY_INTEREST_GROUPS = "community_interest_groups"
    CLAIMANT = "claimant"
    OFFICER = "officer"
    REVIEWER = "reviewer"
    SUBSCRIBERS = "subscribers"  # residents and groups who asked for alerts about the asset


class GroupReach(StrEnum):
    """Which community groups may take a step on a case that is not their own group's."""

    OWN = "own"  # only the group whose case it is (its nomination, its application)
    ANY = "any"  # any group: whether its step counts is for the guards (a request to bid, s.95(3)(a))
    BIDDERS = "bidders"  # a group recorded on the case as having asked to be treated as a potential bidder
