"""Colours a reader can tell apart and read (issue #23): chart colours from the Okabe–Ito
palette, and text colours with a contrast of at least 4.5:1 on white (WCAG AA)."""

from __future__ import annotations

import re

import pytest

from ui import style
from ui.brief import STYLE


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_is_computed_as_wcag_does():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#777777") == pytest.approx(4.48, abs=0.01)  # just below AA


@pytest.mark.parametrize("name", ["TEXT", "TEXT_MUTED"])
def test_text_colours_read_on_white(name):
    assert contrast(getattr(style, name)) >= 4.5


def test_the_briefs_text_colours_read_on_white():
    colours = set(re.findall(r"(?<![-\w])color:(#[0-9a-fA-F]{6})", STYLE))
    assert colours
    for colour in colours:
        assert contrast(colour) >= 4.5, colour


def test_component_colours_are_distinct_okabe_ito_colours():
    palette = set(style.OKABE_ITO.values())
    colours = list(style.COMPONENT_COLOURS.values())
    assert set(colours) <= palette
    assert len(set(colours)) == len(colours)
    # the finder's three adding components are no longer three shades of one blue
    adding = [style.COMPONENT_COLOURS[c] for c in ("ties", "connectivity", "lattice")]
    assert len({c for c in adding}) == 3 and style.OKABE_ITO["bluish green"] in adding


@pytest.mark.parametrize(
    "colours", [style.SLOT_COLOURS, tuple(style.DOMAIN_COLOURS.values())], ids=["slots", "domains"]
)
def test_slot_and_domain_colours_are_okabe_ito(colours):
    assert set(colours) <= set(style.OKABE_ITO.values())
    assert len(set(colours)) == len(colours)
