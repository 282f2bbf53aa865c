"""initial schema

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import JSONType, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "councils",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("nation", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("recent_past_years", sa.Integer(), nullable=False),
        sa.Column("reminder_offsets", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councils")),
        sa.UniqueConstraint("code", name=op.f("uq_councils_code")),
    )
    op.create_table(
        "postcode_points",
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("postcode", name=op.f("pk_postcode_points")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_api_tokens_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "assets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("uprn", sa.String(length=12), nullable=True),
        sa.Column("title_numbers", JSONType, nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("ward", sa.String(length=100), nullable=True),
        sa.Column("parishes", JSONType, nullable=False),
        sa.Column("point", sa.String(length=100), nullable=True),
        sa.Column("boundary", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("offered_for_transfer", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_assets_council_id_councils")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("council_id", "reference", name=op.f("uq_assets_council_id_reference")),
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assets_council_id"), ["council_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assets_uprn"), ["uprn"], unique=False)

    op.create_table(
        "council_holidays",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_council_holidays_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_holidays")),
        sa.UniqueConstraint("council_id", "day", name=op.f("uq_council_holidays_council_id_day")),
    )
    with op.batch_alter_table("council_holidays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_holidays_council_id"), ["council_id"], unique=False)

    op.create_table(
        "council_neighbours",
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("neighbour_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_council_neighbours_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["neighbour_id"],
            ["councils.id"],
            name=op.f("fk_council_neighbours_neighbour_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "neighbour_id", name=op.f("pk_council_neighbours")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("body_type", sa.String(length=60), nullable=False),
        sa.Column("charity_number", sa.String(length=20), nullable=True),
        sa.Column("company_number", sa.String(length=20), nullable=True),
        sa.Column("society_number", sa.String(length=20), nullable=True),
        sa.Column("distributes_surplus", sa.Boolean(), nullable=False),
        sa.Column("is_credit_union", sa.Boolean(), nullable=False),
        sa.Column("is_public_authority", sa.Boolean(), nullable=False),
        sa.Column("individual_members", sa.Integer(), nullable=False),
        sa.Column("local_elector_members", sa.Integer(), nullable=False),
        sa.Column("activity_areas", JSONType, nullable=False),
        sa.Column("surplus_areas", JSONType, nullable=False),
        sa.Column("parish", sa.String(length=100), nullable=True),
        sa.Column("adjoining_parishes", JSONType, nullable=False),
        sa.Column("parish_councils", JSONType, nullable=False),
        sa.Column("local_connection_evidence", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("details", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_organisations_council_id_councils")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisations_council_id"), ["council_id"], unique=False)

    op.create_table(
        "password_resets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)

    op.create_table(
        "policies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("workflow", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("document", JSONType, nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_policies_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_policies_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
        sa.UniqueConstraint("council_id", "workflow", "version", name=op.f("uq_policies_council_id_workflow_version")),
    )
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policies_council_id"), ["council_id"], unique=False)

    op.create_table(
        "reference_counters",
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_reference_counters_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "prefix", name=op.f("pk_reference_counters")),
    )
    op.create_table(
        "asset_parties",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_asset_parties_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_asset_parties_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_parties")),
    )
    with op.batch_alter_table("asset_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_parties_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_asset_parties_user_id"), ["user_id"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("workflow", sa.String(length=40), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column("policy_id", sa.Uuid(), nullable=True),
        sa.Column("facts", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("state_changed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_cases_asset_id_assets")),
        sa.ForeignKeyConstraint(["assigned_to"], ["users.id"], name=op.f("fk_cases_assigned_to_users")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_cases_council_id_councils")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_cases_created_by_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_cases_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_cases_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_assigned_to"), ["assigned_to"], unique=False)
        batch_op.create_index("ix_cases_council_state", ["council_id", "workflow", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("asset_id", sa.Uuid(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("ward", sa.String(length=100), nullable=True),
        sa.Column("point", sa.String(length=100), nullable=True),
        sa.Column("radius_m", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("unsubscribed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_subscriptions_asset_id_assets")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_subscriptions_council_id_councils")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("token", name=op.f("uq_subscriptions_token")),
    )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscriptions_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_subscriptions_council_id"), ["council_id"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_user_roles_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_user_roles_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_roles")),
        sa.UniqueConstraint(
            "user_id",
            "role",
            "council_id",
            "organisation_id",
            name=op.f("uq_user_roles_user_id_role_council_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_roles_user_id"), ["user_id"], unique=False)

    op.create_table(
        "assessor_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("assessor_id", sa.Uuid(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("declared_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assessor_id"], ["users.id"], name=op.f("fk_assessor_conflicts_assessor_id_users")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_assessor_conflicts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessor_conflicts")),
        sa.UniqueConstraint("case_id", "assessor_id", name=op.f("uq_assessor_conflicts_case_id_assessor_id")),
    )
    with op.batch_alter_table("assessor_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessor_conflicts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "assessor_scores",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("assessor_id", sa.Uuid(), nullable=False),
        sa.Column("criterion", sa.String(length=60), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("scored_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assessor_id"], ["users.id"], name=op.f("fk_assessor_scores_assessor_id_users")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_assessor_scores_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessor_scores")),
        sa.UniqueConstraint(
            "case_id", "assessor_id", "criterion", name=op.f("uq_assessor_scores_case_id_assessor_id_criterion")
        ),
    )
    with op.batch_alter_table("assessor_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessor_scores_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("trigger", sa.String(length=40), nullable=True),
        sa.Column("from_state", sa.String(length=40), nullable=True),
        sa.Column("to_state", sa.String(length=40), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_case_events_case_id_seq")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("related_case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_links_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["related_case_id"], ["cases.id"], name=op.f("fk_case_links_related_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_links")),
        sa.UniqueConstraint(
            "case_id", "related_case_id", "kind", name=op.f("uq_case_links_case_id_related_case_id_kind")
        ),
    )
    with op.batch_alter_table("case_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_links_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_links_related_case_id"), ["related_case_id"], unique=False)

    op.create_table(
        "deadlines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("timer", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_time", sa.Time(), nullable=True),
        sa.Column("outer_due_date", sa.Date(), nullable=True),
        sa.Column("fires_at", UTCDateTime(), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("explanation", JSONType, nullable=False),
        sa.Column("expiry_kind", sa.String(length=20), nullable=False),
        sa.Column("on_expiry", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fired_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_deadlines_case_id_cases")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_deadlines_council_id_councils")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index("ix_deadlines_case_status", ["case_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_council_id"), ["council_id"], unique=False)
        batch_op.create_index(
            "ix_deadlines_pending_due",
            ["fires_at"],
            unique=False,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )

    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_documents_case_id_cases")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_documents_council_id_councils")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_documents_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name=op.f("fk_documents_uploaded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_documents_storage_key")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_council_id"), ["council_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "moderated_scores",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("criterion", sa.String(length=60), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moderated_by", sa.Uuid(), nullable=False),
        sa.Column("moderated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_moderated_scores_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["moderated_by"], ["users.id"], name=op.f("fk_moderated_scores_moderated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderated_scores")),
        sa.UniqueConstraint("case_id", "criterion", name=op.f("uq_moderated_scores_case_id_criterion")),
    )
    with op.batch_alter_table("moderated_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderated_scores_case_id"), ["case_id"], unique=False)

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("payload", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("dispatched_at", UTCDateTime(), nullable=True),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_outbox_messages_case_id_cases")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_outbox_messages_council_id_councils")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_messages_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_messages_council_id"), ["council_id"], unique=False)
        batch_op.create_index(
            "ix_outbox_undispatched",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("dispatched_at IS NULL"),
            sqlite_where=sa.text("dispatched_at IS NULL"),
        )

    op.create_table(
        "register_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("list_kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("nominating_group", sa.String(length=300), nullable=True),
        sa.Column("nomination_date", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        sa.Column("review_status", sa.String(length=200), nullable=True),
        sa.Column("notification_to_sell_date", sa.Date(), nullable=True),
        sa.Column("interim_end_date", sa.Date(), nullable=True),
        sa.Column("full_end_date", sa.Date(), nullable=True),
        sa.Column("protected_end_date", sa.Date(), nullable=True),
        sa.Column("interested_group", sa.Text(), nullable=True),
        sa.Column("moratorium_case_id", sa.Uuid(), nullable=True),
        sa.Column("exempt_disposals", JSONType, nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_register_entries_asset_id_assets")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_register_entries_case_id_cases")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_register_entries_council_id_councils")),
        sa.ForeignKeyConstraint(
            ["moratorium_case_id"], ["cases.id"], name=op.f("fk_register_entries_moratorium_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entries")),
    )
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.create_index("ix_register_council_list", ["council_id", "list_kind", "end_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_entries_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_entries_case_id"), ["case_id"], unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("party", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("recipient_name", sa.String(length=300), nullable=True),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("provider_reference", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_deliveries_case_id_cases")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_deliveries_council_id_councils")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["outbox_messages.id"], name=op.f("fk_deliveries_message_id_outbox_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("key", name=op.f("uq_deliveries_key")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliveries_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_deliveries_council_status", ["council_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deliveries_message_id"), ["message_id"], unique=False)
        batch_op.create_index(
            "ix_deliveries_open",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("status IN ('pending', 'retrying', 'sending')"),
            sqlite_where=sa.text("status IN ('pending', 'retrying', 'sending')"),
        )

    op.create_table(
        "reminders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deadline_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("remind_at", UTCDateTime(), nullable=False),
        sa.Column("parties", JSONType, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("details", JSONType, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_reminders_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadlines.id"], name=op.f("fk_reminders_deadline_id_deadlines"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
    )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminders_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminders_deadline_id"), ["deadline_id"], unique=False)
        batch_op.create_index(
            "ix_reminders_pending_due",
            ["remind_at"],
            unique=False,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )

    _make_case_events_append_only()


_APPEND_ONLY_MESSAGE = "case_events is append-only: the audit trail cannot be changed"


def _make_case_events_append_only() -> None:
    """Refuse UPDATE and DELETE on the audit trail in the database itself, whatever the code does."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}'; END $$;
            CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
            FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
            """
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER case_events_no_{action.lower()} BEFORE {action} ON case_events "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER case_events_no_update ON case_events")
        op.execute("DROP FUNCTION case_events_append_only()")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_reminders_pending_due",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_reminders_deadline_id"))
        batch_op.drop_index(batch_op.f("ix_reminders_case_id"))

    op.drop_table("reminders")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_deliveries_open",
            postgresql_where=sa.text("status IN ('pending', 'retrying', 'sending')"),
            sqlite_where=sa.text("status IN ('pending', 'retrying', 'sending')"),
        )
        batch_op.drop_index(batch_op.f("ix_deliveries_message_id"))
        batch_op.drop_index("ix_deliveries_council_status")
        batch_op.drop_index(batch_op.f("ix_deliveries_case_id"))

    op.drop_table("deliveries")
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entries_case_id"))
        batch_op.drop_index(batch_op.f("ix_register_entries_asset_id"))
        batch_op.drop_index("ix_register_council_list")

    op.drop_table("register_entries")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_undispatched",
            postgresql_where=sa.text("dispatched_at IS NULL"),
            sqlite_where=sa.text("dispatched_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_council_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_case_id"))

    op.drop_table("outbox_messages")
    with op.batch_alter_table("moderated_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderated_scores_case_id"))

    op.drop_table("moderated_scores")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_documents_council_id"))
        batch_op.drop_index(batch_op.f("ix_documents_case_id"))

    op.drop_table("documents")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_deadlines_pending_due",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_deadlines_council_id"))
        batch_op.drop_index("ix_deadlines_case_status")

    op.drop_table("deadlines")
    with op.batch_alter_table("case_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_links_related_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_links_case_id"))

    op.drop_table("case_links")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("assessor_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessor_scores_case_id"))

    op.drop_table("assessor_scores")
    with op.batch_alter_table("assessor_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessor_conflicts_case_id"))

    op.drop_table("assessor_conflicts")
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_roles_user_id"))

    op.drop_table("user_roles")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriptions_council_id"))
        batch_op.drop_index(batch_op.f("ix_subscriptions_asset_id"))

    op.drop_table("subscriptions")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_policy_id"))
        batch_op.drop_index(batch_op.f("ix_cases_organisation_id"))
        batch_op.drop_index("ix_cases_council_state")
        batch_op.drop_index(batch_op.f("ix_cases_assigned_to"))
        batch_op.drop_index(batch_op.f("ix_cases_asset_id"))

    op.drop_table("cases")
    with op.batch_alter_table("asset_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_parties_user_id"))
        batch_op.drop_index(batch_op.f("ix_asset_parties_asset_id"))

    op.drop_table("asset_parties")
    op.drop_table("reference_counters")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policies_council_id"))

    op.drop_table("policies")
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))

    op.drop_table("password_resets")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_council_id"))

    op.drop_table("organisations")
    op.drop_table("council_neighbours")
    with op.batch_alter_table("council_holidays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_holidays_council_id"))

    op.drop_table("council_holidays")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assets_uprn"))
        batch_op.drop_index(batch_op.f("ix_assets_council_id"))

    op.drop_table("assets")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("postcode_points")
    op.drop_table("councils")
