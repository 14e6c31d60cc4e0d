"""The batched variants against the reference, and each shared primitive on its own.

The reference is :func:`model.cohesion.score_groups` on a context. The Monte Carlo
(a leading draw axis over one grouping's own arrays) and the finder's bound (flat tables
and bit masks) build on the same primitives (:mod:`model.rows` for a year's arrays,
:mod:`model.components` for the components), so with no spread a draw is the reference
score to the last bit, and the bound's exact scores are the reference scores.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from builders import dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from worlds import CODES, framings, members, weights, worlds

from model import components as comp
from model.aggregate import KIND_DOMAIN, KINDS, depth_of_cells, depth_over_count
from model.bounds import BatchScorer
from model.cohesion import (
    COMPONENTS,
    Weights,
    build_context,
    context,
    framed,
    group_scores,
    score_groups,
    year_arrays,
)
from model.data import Sensitivity
from model.rows import _tie_strengths as tie_strengths
from model.rows import (
    in_force,
    judgements,
    pair_arrays,
    recorded_values,
    triggered,
    triggered_rows,
    unease_arrays,
)
from model.schema import CONFIDENCE_SPREAD, DOMAINS, FRAMINGS
from model.uncertainty import _noise, simulate
from model.uncertainty import _RowNoise as RowNoise

YEAR = 2024
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUNCTION_SCOPED = HealthCheck.function_scoped_fixture

groupings = members.map(lambda group: tuple(sorted(group)))  # as a scenario holds them
FIELDS = (*COMPONENTS, "cohesion", "hub", "centralisation", "member_sensitivity", "isolated")


@pytest.fixture
def no_spread(fresh_caches, monkeypatch):
    """Every confidence's spread 0, so each draw holds the values on record (the caches
    empty on the way in and out: a draw made with spread must not be reused)."""
    for level in CONFIDENCE_SPREAD:
        monkeypatch.setitem(CONFIDENCE_SPREAD, level, 0.0)


def reference(ds, group, framing, year=YEAR, w=Weights()) -> float:
    idx = np.array([[ds.index(m) for m in group]])
    return score_groups(context(ds, year, framing), idx, w).cohesion[0]


# --------------------------------------------------------------------------- Monte Carlo


@pytest.mark.usefixtures("no_spread")
class TestMonteCarloWithoutSpread:
    # no_spread holds for every example: the spread stays 0 and the caches keep draws
    # made without it only
    @settings(fast, suppress_health_check=[*fast.suppress_health_check, FUNCTION_SCOPED])
    @given(worlds(), groupings, framings, weights, st.integers(0, 2**16))
    def test_every_draw_is_the_reference_score(self, world, group, framing, w, seed):
        ds = dataset(**world)
        draws = simulate(ds, group, framing, YEAR, w, 7, seed)
        assert np.array_equal(draws, np.full(7, reference(ds, group, framing, w=w)))

    @pytest.mark.parametrize("framing", FRAMINGS)
    @pytest.mark.parametrize("year", [2005, 2019, 2024])
    def test_every_preset_and_random_grouping_on_the_builtin_data(self, builtin, framing, year):
        rnd = np.random.default_rng(year)
        groups = [p.members for p in builtin.presets.values()]
        groups += [
            tuple(sorted(map(str, rnd.choice(builtin.codes, k, replace=False)))) for k in (2, 5, 9)
        ]
        for group in groups:
            draws = simulate(builtin, group, framing, year, Weights(), 3, 0)
            assert np.array_equal(draws, np.full(3, reference(builtin, group, framing, year)))

    def test_a_draw_with_varied_weights_is_the_reference_under_those_weights(self, builtin):
        group = builtin.presets["quad"].members
        w = Weights(0.3, 0.2, 0.1, 0.4, 0.7, 0.2)
        draws = simulate(builtin, group, "dialogue", YEAR, w, 20, 4, vary_weights=True)
        varied = w.vector() * _noise(builtin, 20, 4)["weights"]
        expected = [
            reference(
                builtin, group, "dialogue", w=Weights(**dict(zip(COMPONENTS, v, strict=True)))
            )
            for v in varied
        ]
        assert np.array_equal(draws, expected)
        assert len(set(draws.tolist())) > 1  # the weights did vary


# --------------------------------------------------------------------------- a year's arrays


def assert_a_groupings_arrays_are_the_contexts(ds, group, framing, year=YEAR):
    """The rows within the grouping alone (the Monte Carlo's universe), as recorded, make
    the context's arrays restricted to the grouping."""
    idx = [ds.index(m) for m in group]
    ctx, whole = build_context(ds, year, framing), year_arrays(ds, year)
    f = in_force(ds, year, tuple(idx))
    mine = pair_arrays(f, *recorded_values(ds, f))
    block = np.ix_(idx, idx)
    assert np.array_equal(mine.domain_ties, whole.domain_ties[:, *block])
    assert np.array_equal(mine.domain_friction, whole.domain_friction[:, *block])
    assert np.array_equal(mine.threat, ctx.threat[idx])
    inside = np.isin(ctx.targets, idx)
    assert np.array_equal(np.array(idx)[f.targets[inside]], ctx.targets[inside])
    assert (f.targets[~inside] == -1).all()
    ties, friction = framed(mine, framing)
    assert np.array_equal(ties, ctx.ties[block])
    assert np.array_equal(friction, ctx.friction[block])
    rows, actor, other = triggered_rows(ds, framing, year, {m: i for i, m in enumerate(group)})
    severity = judgements(ds, "sensitivities", rows)
    framing_unease, member_unease = unease_arrays(len(group), actor, other, severity)
    assert np.array_equal(framing_unease, ctx.framing_sensitivity[idx])
    assert np.array_equal(member_unease, ctx.member_sensitivity[block])


class TestPairArraysOfAGrouping:
    @fast
    @given(worlds(), groupings, framings)
    def test_random_worlds(self, world, group, framing):
        assert_a_groupings_arrays_are_the_contexts(dataset(**world), group, framing)

    @pytest.mark.parametrize("year", [1995, 2010, 2024])
    def test_builtin_data_with_organisations(self, builtin, year):
        """EU and NATO members share commitments through their organisation: a link on two
        rows, both outside a grouping of states."""
        rnd = np.random.default_rng(year)
        groups = [("DEU", "FRA", "GBR", "USA"), ("CHN", "JPN", "KOR", "USA")]
        groups += [
            tuple(sorted(map(str, rnd.choice(builtin.codes, 6, replace=False)))) for _ in range(5)
        ]
        for framing in FRAMINGS:
            for group in groups:
                assert_a_groupings_arrays_are_the_contexts(builtin, group, framing, year)


# --------------------------------------------------------------------------- the bound


def assert_the_bound_is_built_on_the_reference(ctx, groups, w, always=()):
    """The bound's exact cohesion is the reference cohesion (to rounding: the finder's
    scorer keeps its own flat-table form for its screen, and rescores its final results
    with the reference), and its bound on cohesion, and the cheaper screen's, never fall
    below it (but for the eigen-solver's last bits where the bound is tight)."""
    reference_scores = score_groups(ctx, groups, w)
    scorer = BatchScorer(ctx, w, always)
    part = scorer.partial(groups)
    exact = scorer.exact(part)
    assert np.allclose(exact, reference_scores.cohesion, rtol=0, atol=1e-9)
    assert (part.upper >= reference_scores.cohesion - 1e-9).all()
    assert (scorer.screen(groups) >= part.upper - 1e-9).all()


class TestBound:
    @fast
    @given(
        worlds(),
        framings,
        weights,
        st.integers(2, 5),
        st.lists(st.sampled_from(range(len(CODES))), max_size=1),
    )
    def test_random_worlds(self, world, framing, w, k, always):
        ds = dataset(**world)
        groups = [g for g in combinations(range(len(CODES)), k) if set(always) <= set(g)]
        ctx = build_context(ds, YEAR, framing)
        assert_the_bound_is_built_on_the_reference(ctx, np.array(groups), w, tuple(always))

    @pytest.mark.parametrize("framing", FRAMINGS)
    @pytest.mark.parametrize("required", [(), ("USA",), ("CHN",)])
    def test_builtin_data(self, builtin, framing, required):
        """USA and CHN are threat targets: required, their gaps leave every sum."""
        rnd = np.random.default_rng(len(required))
        always = tuple(builtin.index(c) for c in required)
        others = [i for i in range(len(builtin.codes)) if i not in always]
        for k in (3, 6, 10):
            groups = [
                sorted([*always, *rnd.choice(others, k - len(always), replace=False)])
                for _ in range(60)
            ]
            ctx = context(builtin, YEAR, framing)
            w = Weights(0.3, 0.2, 0.1, 0.4, 0.7, 0.2)
            assert_the_bound_is_built_on_the_reference(ctx, np.array(groups), w, always)


# --------------------------------------------------------------------------- components


def pair_form(draw, b: int, k: int, targets: int) -> dict[str, np.ndarray]:
    """Random inputs of :func:`model.cohesion.group_scores` for b groupings of k."""
    p = comp.pairs(k)
    unit = st.floats(0, 1, allow_subnormal=False)

    def array(*shape, elements=unit):
        flat = draw(st.lists(elements, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
        return np.array(flat, dtype=float).reshape(shape)

    return {
        "pair_ties": array(b, len(p.i)) * (array(b, len(p.i)) > 0.2),
        "pair_friction": array(b, len(p.i)),
        "pair_gaps": array(b, len(p.i)) * targets,
        "pair_views": array(b, len(p.i), elements=st.sampled_from(range(targets + 1))),
        "pair_common": array(b, len(p.i)),
        "pair_rivalry": array(b, len(p.i)),
        "framing_unease": array(b, k),
        "unease": array(b, k),
        "pillar": array(b, k, elements=st.floats(0.05, 1)),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(2, 9), st.integers(2, 12), st.booleans(), framings)
def test_the_components_score_a_grouping_alike_alone_or_in_a_batch(data, b, k, fiedler, framing):
    """Every sum runs left to right, so a batch of groupings of 9 or more members (where
    numpy's own sum pairs terms up by shape) scores each as it scores alone."""
    arrays = pair_form(data.draw, b, k, targets=3)
    w = data.draw(weights).vector()
    batch = group_scores(**arrays, w=w, framing=framing, fiedler=fiedler)
    for row in range(b):
        alone = group_scores(
            **{n: a[row : row + 1] for n, a in arrays.items()},
            w=w,
            framing=framing,
            fiedler=fiedler,
        )
        for name in FIELDS:
            assert np.array_equal(getattr(batch, name)[row], getattr(alone, name)[0]), name


def test_a_sum_runs_left_to_right():
    """Left to right, each 1 is lost against 1e16; a pairwise sum (numpy's, from eight
    terms on) keeps some of them."""
    rows = np.array([[1e16, *[1.0] * 8, -1e16], [0.0] * 10])
    assert comp.total(rows).tolist() == [0.0, 0.0]
    assert comp.total(np.zeros((2, 0))).tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------- triggers


@pytest.mark.parametrize(
    ("trigger", "framing", "group", "year", "expected"),
    [
        ("framing:alliance", "alliance", ("IND", "USA"), 2015, True),
        ("framing:alliance", "dialogue", ("IND", "USA"), 2015, False),
        ("member:PAK", "dialogue", ("IND", "PAK"), 2015, True),
        ("member:PAK", "dialogue", ("IND", "USA"), 2015, False),
        ("framing:alliance", "alliance", ("JPN", "USA"), 2015, False),  # India is not in
        ("framing:alliance", "alliance", ("IND", "USA"), 2020, True),  # until is inclusive
        ("framing:alliance", "alliance", ("IND", "USA"), 2009, False),  # not yet in force
        ("framing:alliance", "alliance", ("IND", "USA"), 2021, False),  # no longer
        ("framing:alliance", "alliance", ("IND", "USA"), None, True),  # at any time
    ],
)
def test_which_sensitivities_a_grouping_triggers(trigger, framing, group, year, expected):
    row = Sensitivity(
        actor="IND",
        trigger=trigger,
        severity=0.5,
        since=2010,
        until=2020,
        confidence="high",
        sources=(),
        note="",
    )
    assert triggered(row, framing, group, year) is expected


@fast
@given(worlds("tie", "sensitivity"), framings)
def test_a_contexts_unease_is_the_noisy_or_of_the_rows_it_triggers(world, framing):
    """The rule written out by hand: an actor's rows with the framing's trigger, and with
    each other actor's (every row of a small world is in force)."""
    ds = dataset(**world)
    ctx = build_context(ds, YEAR, framing)

    def unease(actor: str, trigger: str) -> float:
        rows = [s for s in ds.sensitivities if s.actor == actor and s.trigger == trigger]
        return 1 - np.prod([1 - s.severity for s in rows if s.active(YEAR)])

    for a, code in enumerate(ds.codes):
        assert ctx.framing_sensitivity[a] == pytest.approx(unease(code, f"framing:{framing}"))
        for o, other in enumerate(ds.codes):
            assert ctx.member_sensitivity[a, o] == pytest.approx(unease(code, f"member:{other}"))


# --------------------------------------------------------------------------- the draws


@fast
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 40),
    st.lists(st.integers(0, 29), max_size=12),
)
def test_a_rows_draws_are_its_rows_of_the_whole_tables_array(seed, draws, rows):
    """Each row's noise, made alone when a grouping asks for it, is that row of the
    array the whole table's draws would make at once (the stream jumps ahead to it), in
    any order and asked for any number of times."""
    stream = np.random.SeedSequence(seed)
    whole = np.random.default_rng(stream).uniform(-1, 1, (30, draws))
    noise = RowNoise(stream, draws)
    asked = np.array(rows, dtype=int)
    assert noise[asked].shape == (len(rows), draws)
    assert np.array_equal(noise[asked], whole[asked])
    assert np.array_equal(noise[asked], whole[asked])  # the kept rows, asked again


@fast
@given(worlds(), framings, st.integers(1, 5))
def test_tie_strengths_per_linked_pair_are_the_whole_grids(world, framing, batch):
    """Working the strengths out once per kind that a pair has a link of gives the grid of
    every pair both ways, worked out cell by cell (the rule written out: each kind's strongest
    link in each cell, then depth over count), with and without a batch of draws."""
    ds = dataset(**world)
    f = in_force(ds, YEAR)
    rng = np.random.default_rng(batch)
    for strength in (judgements(ds, "ties", f.tie_rows), rng.random((batch, len(f.tie_rows)))):
        got = tie_strengths(f, strength)
        link = np.minimum(strength[..., f.link_rows[:, 0]], strength[..., f.link_rows[:, 1]])
        grid = np.zeros((len(KINDS), f.n, f.n, *strength.shape[:-1]))
        for i, (a, b) in enumerate(f.link_ends):
            for x, y in ((a, b), (b, a)):
                cell = grid[f.link_kind[i], x, y]
                grid[f.link_kind[i], x, y] = np.maximum(cell, link[..., i])
        expected = depth_over_count(grid)
        expected[:, np.arange(f.n), np.arange(f.n)] = 0.0
        if strength.ndim > 1:
            expected = np.moveaxis(expected, -1, 1)
        assert np.array_equal(got, expected)


@fast
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.floats(0.0, 0.9))
def test_depth_of_the_cells_held_is_depth_over_every_kind(seed, pairs, empty):
    """Depth over count worked out on the cells that hold a row (a kind of a pair) is the
    dense rule over every kind of every pair to the last bit, a kind without a row
    counting for nothing; strengths of 0 and 1 included."""
    rng = np.random.default_rng(seed)
    dense = rng.choice([0.0, 1.0, 0.5], (len(KINDS), pairs, 3)) * (rng.random((1, 1, 3)) > 0.5)
    dense = np.where(rng.random(dense.shape) < 0.5, rng.random(dense.shape), dense)
    dense[rng.random(dense.shape[:2]) < empty] = 0.0  # cells without a row
    kind, pair = np.nonzero(dense[..., 0] + dense[..., 1] + dense[..., 2] > 0)
    group_of = KIND_DOMAIN[kind] * pairs + pair
    order = np.lexsort((kind, group_of))  # each group's cells in the order of KINDS
    kind, group_of = kind[order], group_of[order]
    groups, group = np.unique(group_of, return_inverse=True)
    expected = depth_over_count(dense).reshape(len(DOMAINS) * pairs, 3)
    got = np.zeros_like(expected)
    if len(kind):
        got[groups] = depth_of_cells(dense[kind, pair[order]], kind, group)
    assert np.array_equal(got, expected)
