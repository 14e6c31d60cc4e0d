"""URL fuzzing (docs/architecture.md §6): generated query strings through the link parsers
(hypothesis, thousands) and through the pages (AppTest, a few hundred from a seeded
generator). Nothing raises; every value that is ignored is quoted in a warning; the rest of
the link is used; and the canonical link a page writes opens the same view with no warning.

What a link must give is read by tests/linkcontract.py, written independently of ui/.
"""

from __future__ import annotations

import re

import pytest
from apptest import COMPARE, TIMELINE, address, link_warning, open_page
from hypothesis import HealthCheck, given, note, settings
from linkcontract import assert_quoted, expected_build, expected_slots
from strategies import (
    BUILD_KINDS,
    DS,
    FUZZ,
    LATEST,
    SLOT_KINDS,
    TIMELINE_KINDS,
    cases,
    query,
)

from ui.build_state import build_params, parse_build
from ui.slots_state import (
    DEFAULT_START,
    CompareState,
    compare_params,
    parse_compare,
    parse_timeline,
    timeline_params,
)

# --------------------------------------------------------------------------- the parsers


class TestParsers:
    @FUZZ
    @given(query(BUILD_KINDS))
    def test_build_links(self, params):
        note(f"params: {params!r}")
        state, warnings = parse_build(DS, params)
        expected, must_name = expected_build(params)
        assert state == expected
        assert_quoted(must_name, warnings)
        assert bool(warnings) == bool(must_name)
        # the canonical link opens the same scenario, with no warning
        canonical = build_params(state)
        again, none = parse_build(DS, canonical)
        assert none == [] and build_params(again) == canonical
        assert again.members == state.members and again.framing == state.framing
        assert again.year == state.year and again.what_if == state.what_if

    @FUZZ
    @given(query(SLOT_KINDS))
    def test_compare_links(self, params):
        note(f"params: {params!r}")
        state, warnings = parse_compare(DS, params)
        expected, expected_year, _, must_name = expected_slots(params)
        assert (list(state.slots), state.year) == (expected, expected_year)
        assert_quoted(must_name, warnings)
        assert bool(warnings) == bool(must_name)
        assert parse_compare(DS, compare_params(state)) == (state, [])

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query(TIMELINE_KINDS))
    def test_timeline_links(self, params):
        note(f"params: {params!r}")
        state, warnings = parse_timeline(DS, params)
        expected, _, expected_start, must_name = expected_slots(params, start=True)
        assert (list(state.slots), state.start) == (expected, expected_start)
        assert_quoted(must_name, warnings)
        assert bool(warnings) == bool(must_name)
        canonical = timeline_params(state)
        assert "year" not in canonical  # the timeline shows every year
        assert parse_timeline(DS, canonical) == (state, [])


# --------------------------------------------------------------------------- the pages


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_page_warns(at, must_name: list[str], warnings: list[str]) -> None:
    """One warning holding the parser's warnings, quoting every ignored value."""
    shown = link_warning(at)
    if not warnings:
        assert shown == ""
        return
    assert shown == collapse("Parts of this link were ignored: " + "; ".join(warnings) + ".")
    assert_quoted([collapse(m) for m in must_name], [shown])


@pytest.mark.parametrize("batch", range(6))
def test_build_page_links(batch):
    for params in cases(1000 + batch, 25, BUILD_KINDS):
        at = open_page(None, params)
        state, warnings = parse_build(DS, params)
        expected, must_name = expected_build(params)
        assert at.session_state["build_state"] == state == expected, params
        assert_page_warns(at, must_name, warnings)
        assert address(at) == build_params(state), params


@pytest.mark.parametrize("batch", range(4))
def test_compare_page_links(batch):
    for params in cases(2000 + batch, 25, SLOT_KINDS):
        at = open_page(COMPARE, params)
        state, warnings = parse_compare(DS, params)
        assert at.session_state["cmp_state"] == state
        expected, expected_year, _, must_name = expected_slots(params)
        assert (list(state.slots), state.year) == (expected, expected_year)
        assert_page_warns(at, must_name, warnings)
        assert address(at) == compare_params(state), params


@pytest.mark.parametrize("batch", range(2))
def test_timeline_page_links(batch):
    for params in cases(3000 + batch, 25, TIMELINE_KINDS):
        at = open_page(TIMELINE, params)
        state, warnings = parse_timeline(DS, params)
        assert at.session_state["tl_state"] == state
        expected, _, expected_start, must_name = expected_slots(params, start=True)
        assert (list(state.slots), state.start) == (expected, expected_start)
        assert_page_warns(at, must_name, warnings)
        expected_url = compare_params(CompareState(state.slots, LATEST))
        expected_url.pop("year")  # the timeline shows every year
        if state.start != DEFAULT_START:
            expected_url["start"] = str(state.start)
        assert address(at) == expected_url, params
