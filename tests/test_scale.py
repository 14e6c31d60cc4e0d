"""The calibrated scale (model/scale.py): a monotone map that keeps every ordering, fitted
on the two blind panels, and the one place a raw cohesion becomes the reported score."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import Scenario, load_dataset, score
from model.difference import component_points
from model.scale import (
    END,
    METHOD,
    POINTS,
    RAW,
    REPORTED,
    START,
    fit,
    panel_rows,
    points_csv,
    raw_cohesion,
    reported,
    scale_markdown,
)
from model.schema import FRAMINGS

DS = load_dataset()


@pytest.fixture(scope="module")
def fresh():
    rows = panel_rows()
    return rows, fit(DS, rows)


def test_the_knots_are_a_fresh_fit_on_both_panels(fresh):
    """Change the data or the model and this fails until ``python -m model.scale`` runs."""
    _, found = fresh
    assert set(found.reported) == set(REPORTED) == set(FRAMINGS)
    for framing in FRAMINGS:
        assert found.reported[framing] == pytest.approx(REPORTED[framing], abs=0.011), framing


def test_the_method_page_and_the_chart_points_are_current(fresh):
    rows, found = fresh
    doc = METHOD.read_text(encoding="utf-8")
    assert doc.split(START)[1].split(END)[0].strip() == scale_markdown(found, rows, DS)
    assert POINTS.read_text(encoding="utf-8") == points_csv(found, rows)


@pytest.mark.parametrize("framing", FRAMINGS)
def test_each_map_runs_from_0_to_100_and_always_climbs(framing):
    assert reported(0.0, framing) == 0.0 and reported(100.0, framing) == 100.0
    assert (np.diff(REPORTED[framing]) > 0).all() and RAW[0] == 0.0 and RAW[-1] == 100.0


@given(st.floats(0, 100), st.floats(0, 100), st.sampled_from(FRAMINGS))
def test_each_map_keeps_every_ordering(a, b, framing):
    if a < b:
        assert reported(a, framing) < reported(b, framing)


def test_each_framing_has_its_own_map_fitted_on_its_own_ratings(fresh):
    """A framing's map comes from that framing's ratings alone: refitting on them gives
    the same knots, and the maps differ where the panels read the framings differently
    (a map for all three would make every row of the table the same)."""
    rows, found = fresh
    for framing in FRAMINGS:
        own = [r for r in rows if r["framing"] == framing]
        assert fit(DS, own).reported[framing] == pytest.approx(found.reported[framing])
    assert len({found.reported[f] for f in FRAMINGS}) == 3


@pytest.mark.parametrize(
    "members, framing, year",
    [
        (("GBR", "USA"), "alliance", 2024),
        (("AUS", "JPN", "KOR", "PHL", "USA"), "alliance", 2024),
        (("AUS", "IND", "JPN", "USA"), "dialogue", 2017),
        (("AUS", "NZL"), "economic", 2024),
        (("CHN", "IRN", "PRK", "RUS"), "alliance", 2024),
    ],
)
def test_a_score_is_its_raw_cohesion_read_on_the_map(members, framing, year):
    """One truth: the cohesion every view shows is the map of the components' raw sum, and
    the breakdown's points add up to it."""
    result = score(DS, Scenario(members, framing, year))
    assert result.cohesion == pytest.approx(
        float(reported(raw_cohesion(result), framing)), abs=1e-9
    )
    assert sum(component_points(result).values()) == pytest.approx(result.cohesion, abs=1e-9)


def test_rivals_stay_near_0_on_the_map():
    """The map lifts thin ties (a raw 10 reads higher) but not the soft tail near 0: the US
    and China as an alliance in 2024 stays under a point."""
    result = score(DS, Scenario(("CHN", "USA"), "alliance", 2024))
    assert 0.0 < result.cohesion < 1.0


def test_the_cli_prints_the_raw_cohesion_beside_the_score():
    """The JSON carries both numbers, so a reader can follow the components' sum to the
    score: the score is the map of the raw one."""
    data = score(DS, Scenario(("AUS", "JPN", "USA"), "dialogue", 2024)).to_json()
    assert data["cohesion"] == pytest.approx(
        float(reported(data["raw_cohesion"], "dialogue")), abs=1e-9
    )
    assert data["raw_cohesion"] != pytest.approx(data["cohesion"], abs=0.5)
