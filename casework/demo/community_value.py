"""The demo's assets of community value: nominations at each stage, and a listed pub for sale with a bid in.

Each nomination is data (the land, the reasons, when it was received and what the council has done with it
since), made by one helper; only the Bull's sale, which no other case shares, is told step by step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from casework.assets import AssetDetails, PartyDetails
from casework.demo.steps import Ago, Setting, Step
from casework.queries import case_summary
from casework.services import moratoria, nominations, parties
from workflows.checklists import LandAnswers
from workflows.roles import Role

LISTED = 400  # days ago the Bull was entered on the list


@dataclass(frozen=True)
class Nominated:
    """A nomination the demo makes: the land, why it matters, when it came in, and what the council did since."""

    name: str
    address: str
    category: str
    point: str
    reasons: str
    uprn: str
    received: int  # days ago
    steps: tuple[Step, ...] = ()
    flat_above: bool = False
    boundary: str | None = None
    owners: tuple[PartyDetails, ...] = ()


BULL = Nominated(
    "The Bull",
    "1 High Street, Ambridge",
    "pub",
    "POINT (-2.095 52.195)",
    "The only pub in Ambridge: home to the cricket club, the quiz league and the folk club",
    uprn="100012345678",
    received=LISTED + 40,
    steps=(
        Step("consider", LISTED + 35),
        Step(
            "list",
            LISTED,
            {
                "decided_on": Ago(LISTED),
                "entry_date": Ago(LISTED),
                "inclusion_notice_given_on": Ago(LISTED),
                "community_value_basis": "current_use",
                "reasons": "A well-used village pub that furthers social wellbeing",
            },
        ),
    ),
    flat_above=True,
    boundary="POLYGON ((-2.0956 52.1947, -2.0943 52.1947, -2.0943 52.1954, -2.0956 52.1954, -2.0956 52.1947))",
    owners=(
        PartyDetails(
            "owner", "Borchester Brewery plc", "Brewery Lane, Borchester", "owner@borchesterbrewery.example.com"
        ),
    ),
)
OTHERS = (
    Nominated(  # nearing its decision date
        "Ambridge Library",
        "The Green, Ambridge",
        "library",
        "POINT (-2.097 52.196)",
        "A library, reading group venue and the only free warm space in the village",
        uprn="100012345679",
        received=50,
        steps=(Step("consider", 45),),
    ),
    Nominated(  # just nominated
        "Lakey Hill Park",
        "Lakey Hill, Ambridge",
        "park",
        "POINT (-2.1 52.2)",
        "Open space used for the village fete, dog walking and the annual bonfire",
        uprn="100012345680",
        received=6,
    ),
    # Overdue: the 8-week decision (ACV Regs reg.7) fell due a fortnight ago and nobody has looked at the nomination
    Nominated(
        "Ambridge Cricket Pavilion",
        "Cricket Ground, Back Lane, Ambridge",
        "sports",
        "POINT (-2.103 52.198)",
        "Home of Ambridge Cricket Club since 1922 and its junior section",
        uprn="100012345682",
        received=70,
    ),
    Nominated(  # on the list of unsuccessful nominations
        "Ambridge Stores",
        "2 High Street, Ambridge",
        "shop",
        "POINT (-2.094 52.194)",
        "The village shop and post office counter",
        uprn="100012345681",
        received=120,
        steps=(
            Step(
                "reject",
                70,
                {
                    "decided_on": Ago(70),
                    "grounds": "not_of_community_value",
                    "reasons": "The shop closed three years ago and no community use is realistic within five years "
                    "(s.88(2))",
                },
            ),
        ),
    ),
)


def load(setting: Setting) -> None:
    """The Bull, listed and now for sale with a bid in, then the other nominations, each at its own stage."""
    bull = _nominate(setting, BULL)
    _sale(setting, _asset_of(setting, bull))
    for nominated in OTHERS:
        _nominate(setting, nominated)


def _nominate(setting: Setting, nominated: Nominated) -> uuid.UUID:
    member = setting.actors[Role.COMMUNITY_MEMBER]
    received = setting.day(nominated.received)
    nomination = _nomination(nominated)
    now = setting.at(nominated.received)
    made = nominations.nominate(
        setting.db, member, setting.council_id, setting.friends, nomination, received_on=received, now=now
    )
    setting.apply(made.case_id, nominated.steps)
    return made.case_id


def _nomination(nominated: Nominated) -> nominations.Nomination:
    owners = nominated.owners
    asset = AssetDetails(
        name=nominated.name,
        address=nominated.address,
        category=nominated.category,
        parishes=("Ambridge",),
        point=nominated.point,
        boundary=nominated.boundary,
        ward="Ambridge and Loxley",
        postcode="BS1 4ND",
        uprn=nominated.uprn,
    )
    return nominations.Nomination(
        asset=asset,
        boundary_description=f"{nominated.name}, its grounds and car park, as outlined on the attached plan",
        occupants="Not known" if not owners else "The tenant landlord, Bull Inns Ltd",
        ownership="; ".join(f"{o.name}, {o.address}" for o in owners) or "Not known",
        reasons=nominated.reasons,
        eligibility_evidence="Company limited by guarantee 09876543; articles and membership list attached",
        owners=owners,
        land=LandAnswers(residence=nominated.flat_above, residence_partly_other_use=nominated.flat_above),
    )


def _sale(setting: Setting, asset_id: uuid.UUID) -> None:
    """The brewery, linked to the Bull as its owner, gives notice of a sale; the Friends ask to be treated as a
    bidder 20 days later, so the demo shows a full moratorium running."""
    officer, member, owner = (setting.actors[role] for role in (Role.OFFICER, Role.COMMUNITY_MEMBER, Role.OWNER))
    assert owner.user_id is not None  # noqa: S101 - created with the demo's people
    parties.link_user_to_asset(setting.db, officer, asset_id, owner.user_id, now=setting.at(LISTED))
    cycle = moratoria.record_owner_notice(
        setting.db,
        owner,
        asset_id,
        received_on=setting.day(30),
        notice_method="email",
        disposal_type="freehold",
        vacant_possession=True,
        now=setting.at(30),
    )
    moratoria.record_bidder_request(
        setting.db, member, cycle.case_id, setting.friends, received_on=setting.day(10), now=setting.at(10)
    )


def _asset_of(setting: Setting, case_id: uuid.UUID) -> uuid.UUID:
    asset_id = case_summary(setting.db, case_id).asset_id
    assert asset_id is not None  # noqa: S101 - a submitted nomination always has its asset
    return asset_id
