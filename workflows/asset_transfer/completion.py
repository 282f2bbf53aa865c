"""An approved transfer, from the law's steps before completion to the end of the agreement: rows T8-T11 of
STATUTE.md §4.3, with the ways an application ends early (withdrawn, lapsed) last, where that table has them.

The second part of the asset transfer's table (workflows.asset_transfer.definition). Its guards are mostly the
law's (workflows.asset_transfer.law): open space (LGA 1972 s.123(2A)) and the moratorium on listed land (LA 2011
s.95).
"""

from __future__ import annotations

from workflows.asset_transfer import fields, law, notices
from workflows.asset_transfer.states import OPEN
from workflows.definition import SAME, Transition
from workflows.roles import GROUP_OR_OFFICER, OFFICER, SYSTEM

TRANSITIONS = (
    Transition(
        trigger="begin_pre_completion",
        source="approved",
        dest="pre_completion",
        who=OFFICER,
        statute="T8",
        label="Start the steps before completion",
        basis="LGA 1972 s.123(2A); LA 2011 s.95(2)-(5)",
        fields=fields.PRE_COMPLETION,
        guards=(law.council_notice, law.one_notice),
        facts=("pre_completion",),
        effects=("council_gives_notice",),
    ),
    Transition(
        trigger="give_council_notice",
        source=("pre_completion", "heads_of_terms"),
        dest=SAME,
        who=OFFICER,
        statute="T8",
        label="Record the council's notice of the disposal",
        basis="LA 2011 s.95(2)",
        fields=fields.COUNCIL_NOTICE,
        guards=(law.notice_needed,),
        facts=("later_notice",),
        effects=("open_moratorium_on_later_notice",),
    ),
    Transition(
        trigger="record_open_space_advert",
        source="pre_completion",
        dest=SAME,
        who=OFFICER,
        statute="T8",
        label="Record the open-space advertisement",
        basis="LGA 1972 s.123(2A)",
        fields=fields.OPEN_SPACE_ADVERT,
        guards=(law.open_space, law.consecutive, law.objections_period),
        facts=("objections",),
    ),
    Transition(
        trigger="record_objections",
        source="pre_completion",
        dest=SAME,
        who=OFFICER,
        statute="T8",
        label="Record that objections were considered",
        basis="LGA 1972 s.123(2A)",
        fields=fields.OBJECTIONS,
        guards=(law.open_space, law.advertised, law.objections_after_advert),
    ),
    Transition(
        trigger="agree_heads_of_terms",
        source="pre_completion",
        dest="heads_of_terms",
        who=OFFICER,
        statute="T9",
        label="Record the agreed heads of terms",
        basis="Council policy (T9)",
        fields=fields.HEADS_OF_TERMS,
        guards=(law.open_space_steps,),
    ),
    Transition(
        trigger="complete",
        source="heads_of_terms",
        dest="monitoring",
        who=OFFICER,
        statute="T9",
        label="Record legal completion",
        basis="Council policy (T9); LGA 1972 s.123(2A); LA 2011 s.95",
        fields=fields.COMPLETION,
        guards=(law.open_space_steps, law.moratorium, law.not_barred),
        facts=("completion",),
        notices=(notices.COMPLETED,),
        effects=("record_disposal_on_land",),
        tasks=("Register the transfer at HM Land Registry",),
    ),
    Transition(
        trigger="record_annual_review",
        source="monitoring",
        dest=SAME,
        who=OFFICER,
        statute="T10",
        label="Record the annual review",
        basis="Council policy (T10)",
        fields=fields.ANNUAL_REVIEW,
    ),
    Transition(
        trigger="end_agreement",
        source="monitoring",
        dest="ended",
        who=OFFICER,
        statute="T10",
        label="Record the end of the agreement",
        basis="Council policy (T10)",
        fields=fields.AGREEMENT_ENDED,
    ),
    Transition(
        trigger="withdraw",
        source=("draft", *OPEN),
        dest="withdrawn",
        who=GROUP_OR_OFFICER,
        statute="T11",
        label="Withdraw the application",
        basis="Council policy (T11)",
        fields=fields.WITHDRAWAL,
    ),
    Transition(
        trigger="lapse",
        source="business_case_invited",
        dest="lapsed",
        who=SYSTEM,
        statute="T11",
        label="Lapse: no business case arrived in time",
        basis="Council policy (T11)",
        notices=(notices.LAPSED,),
    ),
)
