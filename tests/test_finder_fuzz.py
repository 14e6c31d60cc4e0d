"""URL fuzzing of the finder's links, as test_url_fuzz does for the other pages: generated
query strings through the parser (hypothesis) and a seeded sample through the page
(AppTest), read against the contract in tests/linkcontract.py.
"""

from __future__ import annotations

import random

from apptest import FINDER, link_warning, open_page
from hypothesis import given, note
from linkcontract import FinderLink, assert_quoted
from strategies import DS, FINDER_KINDS, FUZZ, POOLS, query

from ui.finder_state import finder_params, parse_finder


@FUZZ
@given(query(FINDER_KINDS))
def test_finder_links_follow_the_contract(params):
    note(f"params: {params!r}")
    state, warnings = parse_finder(DS, params)
    want = FinderLink(params)
    assert_quoted(want.must, warnings)
    assert bool(warnings) == bool(want.must)
    assert (state.size_min, state.size_max) == want.size
    assert (state.require, state.exclude, state.regions) == (
        want.require,
        want.exclude,
        want.regions,
    )
    assert (state.orgs, state.top, state.method) == (want.orgs, want.top, want.method)
    assert (state.framing, state.year) == (want.framing_used, want.year_used)
    assert parse_finder(DS, finder_params(state)) == (state, [])


def test_a_sample_of_finder_links_through_the_page():
    """Seeded links through the page: no exception, ignored values quoted, URL canonical."""
    rng = random.Random(7)
    keys = list(FINDER_KINDS)
    for _ in range(60):
        params = {}
        for key in rng.sample(keys, rng.randint(0, 4)):
            pool = POOLS[FINDER_KINDS[key]]
            params[key] = pool[rng.randrange(len(pool))]
        if "size" not in params or rng.random() < 0.5:
            params["size"] = rng.choice(["2", "3", "2-3"])  # keep each search quick
        want = FinderLink(params)
        at = open_page(FINDER, params)
        shown = link_warning(at).replace("\\", "")
        missing = [m for m in want.must if m.replace("\\", "") not in shown]
        assert not missing, (params, missing, shown)
        state, none = parse_finder(DS, dict(at.query_params))
        assert none == [], (params, none)
        assert (state.size_min, state.size_max) == want.size
