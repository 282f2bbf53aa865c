"""The demo's asset transfer and community right to challenge: the example policies (labelled as examples), a
village hall offered for transfer with an application at the panel, and an expression of interest in running
the parks service."""

from __future__ import annotations

import uuid

from casework import examples
from casework.actors import SYSTEM
from casework.assets import AssetDetails
from casework.demo.people import CODE, NEIGHBOUR
from casework.demo.steps import Ago, Setting, Step
from casework.services import asset_transfers, challenges, policies, transfer_panel
from workflows.roles import Role

POLICIES = (  # council, process, example policy
    (CODE, "asset_transfer", "cat_norwich_style"),
    (NEIGHBOUR, "asset_transfer", "cat_dorset_style"),
    (CODE, "challenge", "challenge"),
)
HALL = AssetDetails(
    name="Loxley Barrow Village Hall",
    address="Church Lane, Loxley Barrow",
    category="community_centre",
    point="POINT (-2.11 52.21)",
    ward="Ambridge and Loxley",
)
ALLOTMENTS = AssetDetails(name="Ambridge Allotments", address="Back Lane, Ambridge", category="park")
ENQUIRY = 60  # days ago the Friends asked about the hall
TO_ASSESSMENT = (
    Step("check_suitability", 55, {"checked_on": Ago(55), "surplus": True, "open_space": False}),
    Step("invite_eoi", 54, {"eoi_invited_on": Ago(54)}),
    Step(
        "submit_eoi",
        40,
        {
            "eoi_received_on": Ago(40),
            "activities": "Lunch club, youth club, film nights",
            "community_benefit": "Older residents eat together weekly",
            "track_record": "Ran the Bull's quiz league for 10 years",
            "running_costs_plan": "Hire fees",
            "tenure_sought": "long_lease",
        },
        by=Role.COMMUNITY_MEMBER,
    ),
)
ASSESSED = 30  # days ago the officer found the expression of interest met every criterion
BUSINESS_CASE = Step(
    "submit_business_case",
    10,
    {
        "business_case_received_on": Ago(10),
        "business_plan": "Three-year plan",
        "funding": "National Lottery grant offered",
        "governance": "Board of 7",
    },
    by=Role.COMMUNITY_MEMBER,
)
CHALLENGE = {
    "service": "parks",
    "eoi_received_on": Ago(3),
    "geographical_area": "Ambridge",
    "financial_resources": "£12,000 reserves",
    "capability_evidence": "Volunteers who cut the green already",
    "outcomes_wellbeing": "More planting and a tidier green",
    "outcomes_user_needs": "Paths kept clear",
}


def load(setting: Setting) -> None:
    """The policies in force for a year, the two assets offered, the hall's application, and the challenge."""
    officer, member = setting.actors[Role.OFFICER], setting.actors[Role.COMMUNITY_MEMBER]
    for council, process, example in POLICIES:
        policies.publish(setting.db, SYSTEM, council, process, examples.load(example), effective_from=setting.day(400))
    hall = asset_transfers.offer_asset(setting.db, officer, HALL)
    asset_transfers.offer_asset(setting.db, officer, ALLOTMENTS)
    _application(setting, hall)
    challenge = setting.dated(CHALLENGE)
    challenges.express_interest(setting.db, member, CODE, setting.friends, challenge, now=setting.at(3))


def _application(setting: Setting, hall: uuid.UUID) -> None:
    """The Friends' application for the hall, scored on one criterion so far by the panel."""
    db, officer, member = setting.db, setting.actors[Role.OFFICER], setting.actors[Role.COMMUNITY_MEMBER]
    case_id = asset_transfers.start_application(
        db,
        member,
        hall,
        setting.friends,
        enquiry_received_on=setting.day(ENQUIRY),
        proposed_use="A community hall with a weekly lunch club",
        tenure_sought="long_lease",
        now=setting.at(ENQUIRY),
    ).case_id
    setting.apply(case_id, TO_ASSESSMENT)
    criteria = examples.load("cat_norwich_style")["eoi_criteria"]
    met = [asset_transfers.EoiVerdict(c, True, "Shown in the expression of interest") for c in criteria]
    asset_transfers.assess_eoi(db, officer, case_id, setting.day(ASSESSED), met, now=setting.at(ASSESSED))
    setting.apply(case_id, (BUSINESS_CASE,))
    transfer_panel.record_score(
        db, officer, case_id, "benefit", 4, "A lunch club with a waiting list", now=setting.at(5)
    )
