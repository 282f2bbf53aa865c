"""A transition that is taken on a page of its own names the page; the web must have that page, for both sides."""

from __future__ import annotations

from dataclasses import fields

import pytest
from flask import Flask

from casework.queries.reports import MonthRow
from web.actions import PAGES
from workflows import registry

NAMED = sorted({t.page for defn in registry.all_definitions() for t in defn.transitions if t.page})


def test_every_page_a_transition_names_is_one_the_web_keeps() -> None:
    assert NAMED and set(NAMED) <= set(PAGES), set(NAMED) - set(PAGES)


@pytest.mark.parametrize("name", NAMED)
def test_each_named_page_leads_to_a_real_page_for_a_group_or_owner_and_for_an_officer(app: Flask, name: str) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(PAGES[name]) <= endpoints


def test_every_report_column_a_transition_names_is_a_column_of_the_monthly_report() -> None:
    named = {t.reported_as for defn in registry.all_definitions() for t in defn.transitions if t.reported_as}
    columns = {column.name for column in fields(MonthRow)}
    assert named and named <= columns, named - columns
