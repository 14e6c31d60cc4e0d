"""Plain words on the build page (AppTest and model): the explanation reads without the
method page, the exact terms sit in its help, the score has a yardstick, and additions
that all lower the score are not called the best."""

from __future__ import annotations

import re

import pytest
from apptest import BUILD, open_page, unescaped

from model import COMPONENTS, Scenario, load_dataset, score
from model.explain import TERMS
from model.provenance import cohesion_of
from tests.charts import charts
from ui.style import COMPONENT_LABELS

DS = load_dataset()
JARGON = re.compile(
    r"framing:|member:|_|\bpair\(s\)|weighted tie|weakest cut|centralisation|λ|Fiedler"
)


@pytest.mark.parametrize("preset", sorted(DS.presets))
@pytest.mark.parametrize("framing", ["alliance", "dialogue", "economic"])
def test_the_explanation_has_no_jargon_and_names_each_component(preset, framing):
    r = score(DS, Scenario(DS.presets[preset].members, framing, 2024))
    lines = r.explanation[-len(COMPONENTS) :]
    for line, c in zip(lines, COMPONENTS, strict=True):
        assert line.startswith(COMPONENT_LABELS[c]), line
        assert not JARGON.search(line), line
    codes = [c for c in DS.codes if re.search(rf"\b{c}\b", " ".join(lines))]
    assert codes == []  # members are named by their names


def test_the_exact_terms_are_in_the_help_of_each_sentence():
    at = open_page(BUILD, members="asian_nato")
    helped = {unescaped(m.value): m.help for m in at.markdown if m.help}
    result = score(DS, Scenario(DS.presets["asian_nato"].members, "alliance", DS.latest_year))
    for line, c in zip(result.explanation[-6:], COMPONENTS, strict=True):
        assert helped[line] == TERMS[c]
    assert "degree centralisation" in TERMS["lattice"].lower()
    assert "framing:alliance" in TERMS["sensitivity"]


class TestYardstick:
    def test_sits_among_the_presets_in_the_same_framing_and_year(self):
        at = open_page(BUILD, members="USA,JPN,PHL,KOR", framing="dialogue", year="2020")
        (caption,) = [t for c in at.caption if "well-known groupings" in (t := unescaped(c.value))]
        preset_scores = sorted(
            (cohesion_of(DS, Scenario(p.members, "dialogue", 2020)) for p in DS.presets.values()),
            reverse=True,
        )
        mine = score(DS, Scenario(("JPN", "KOR", "PHL", "USA"), "dialogue", 2020)).cohesion
        rank = 1 + sum(v > mine for v in preset_scores)
        assert caption.startswith(
            f"Scored as security dialogues in 2020, the {len(preset_scores)} well-known "
            f"groupings range from {preset_scores[-1]:.1f} to {preset_scores[0]:.1f}; this "
            f"one ranks {rank} of {len(preset_scores) + 1}"
        )
        chart = next(
            c for c in charts(at) if "yardstick" in c.config["toImageButtonOptions"]["filename"]
        )
        assert "This grouping" in chart.spec

    def test_a_preset_is_highlighted_in_place(self):
        at = open_page(BUILD, members="quad")
        (caption,) = [t for c in at.caption if "well-known groupings" in (t := unescaped(c.value))]
        assert "ranks" in caption and f"of {len(DS.presets)}" in caption


def preset_where(raises: bool) -> str:
    """A preset (in its own framing, latest year) where some addition raises the score, or
    where every addition lowers it, as the model says."""
    for pid, p in sorted(DS.presets.items()):
        r = score(DS, Scenario(p.members, p.framing, DS.latest_year))
        if any(d > 0 for _, d in r.best_additions) == raises:
            return pid
    pytest.skip(f"no preset where an addition {'raises' if raises else 'never raises'} it")


class TestAdditions:
    def test_best_additions_when_one_raises_the_score(self):
        at = open_page(BUILD, members=preset_where(raises=True))
        titles = [s.value for s in at.header]
        assert "Best additions" in titles and "Effect of adding one more" not in titles

    def test_effect_of_adding_one_more_when_every_addition_lowers_it(self):
        at = open_page(BUILD, members=preset_where(raises=False))
        titles = [s.value for s in at.header]
        assert "Effect of adding one more" in titles and "Best additions" not in titles
