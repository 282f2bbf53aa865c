"""Read models for the CLI, pages, feeds and reports: frozen dataclasses, never ORM objects."""

from casework.queries.cases import CaseSummary, DeadlineView, EventView, RegisterRow, case_summary, register_rows

__all__ = ["CaseSummary", "DeadlineView", "EventView", "RegisterRow", "case_summary", "register_rows"]
