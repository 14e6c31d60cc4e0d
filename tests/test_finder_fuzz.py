"""URL fuzzing of the finder's links, in the manner of test_url_fuzz: generated query
strings through the parser (hypothesis) and a seeded sample through the page (AppTest).

The rules are the finder link's contract, written out here independently of the parser:
``size`` is N or A-B with 2 <= A <= B <= the largest size; ``require`` and ``exclude``
are comma lists of codes (any case, unknown ones named; a code in both stays required);
``regions`` names regions in any case; ``orgs`` is 1/0 (or true/false, yes/no, on/off);
``top`` is 1-100; ``method`` is auto, exhaustive or beam; framing and year as elsewhere.
"""

from __future__ import annotations

import random

from apptest import APP
from hypothesis import given, note
from streamlit.testing.v1 import AppTest
from test_url_fuzz import DS, FUZZ, ODD, POOLS, Link, assert_quoted, query, quoted

from model.schema import REGIONS
from model.search import MAX_TOP, METHODS
from ui.finder_state import PARAMS, finder_params, max_size, parse_finder
from ui.text import WORD_JOINER

TOP_SIZE = max_size(DS)
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
_rng = random.Random(1)
FINDER_POOLS = {
    "size": [
        "2",
        "4",
        "3-5",
        " 4 - 6 ",
        "6-4",
        "1",
        "0",
        "2-99",
        str(TOP_SIZE),
        str(TOP_SIZE + 1),
        "４",
        "3–5",
        "3-",
        "-3",
        "3--5",
        "03",
        "1e1",
        *ODD,
    ],
    "codes": [*POOLS["members"], "", "usa", "USA,JPN", " chn ,ZZZ", "NATO,EU"],
    "regions": [
        *REGIONS,
        *(r.upper() for r in REGIONS),
        "Atlantis",
        "Europe,Oceania",
        " south asia ,middle east",
        "Europe,,",
        *ODD,
        *(",".join(_rng.sample(REGIONS, 2)) for _ in range(10)),
    ],
    "orgs": [*TRUE, *FALSE, "TRUE", " 1 ", "2", "maybe", *ODD],
    "top": ["1", "10", "100", "101", "0", "-1", "５", " 7 ", "3.0", *ODD],
    "method": [*METHODS, "BEAM", " auto ", "genetic", *ODD],
}
for kind, values in FINDER_POOLS.items():  # test_url_fuzz's query() draws from POOLS
    POOLS.setdefault(f"finder_{kind}", values)
FINDER_KINDS = {
    "size": "finder_size",
    "require": "finder_codes",
    "exclude": "finder_codes",
    "regions": "finder_regions",
    "orgs": "finder_orgs",
    "top": "finder_top",
    "method": "finder_method",
    "framing": "framing",
    "year": "year",
}
FINDER_QUERY = query(FINDER_KINDS)


class Expected(Link):
    """The state a finder link asks for, and what a warning must quote, by the contract."""

    def __init__(self, params):
        super().__init__(params, set(PARAMS))
        self.must = self.must_name
        v = {k: self.value(k) for k in sorted(PARAMS)}
        self.size = self.sizes(v["size"])
        require = self.codes(v["require"]) if v["require"] is not None else {"USA"}
        exclude = self.codes(v["exclude"]) if v["exclude"] is not None else set()
        for c in sorted(require & exclude):
            self.must.append(c)
        self.exclude = tuple(sorted(exclude - require))
        self.require = tuple(sorted(require))
        if len(self.require) > self.size[1]:
            self.must.append("required members do not fit")
            self.require = self.require[: self.size[1]]
        self.regions = self.region_list(v["regions"])
        self.orgs = self.choice(
            v["orgs"],
            "orgs",
            lambda x: x.strip().lower() in TRUE + FALSE,
            lambda x: x.strip().lower() in TRUE,
            False,
        )
        self.top = self.choice(
            v["top"],
            "top",
            lambda x: (
                x.strip().isascii() and x.strip().isdigit() and 1 <= int(x.strip()) <= MAX_TOP
            ),
            lambda x: int(x),
            10,
        )
        self.method = self.choice(
            v["method"],
            "method",
            lambda x: x.strip().lower() in METHODS,
            lambda x: x.strip().lower(),
            "auto",
        )
        self.framing_used = self.framing(v["framing"], "alliance", "framing ")
        self.year_used = self.year(v["year"])

    def choice(self, raw, name, ok, convert, default):
        if raw is None:
            return default
        if ok(raw):
            return convert(raw)
        self.must.append(f"{name} '{quoted(raw)}'")
        return default

    def sizes(self, raw):
        if raw is None:
            return (4, 4)
        lo, sep, hi = raw.strip().partition("-")
        lo, hi = lo.strip(), (hi.strip() if sep else lo.strip())
        if (
            all(x.isascii() and x.isdigit() and len(x) <= 3 for x in (lo, hi))
            and 2 <= int(lo) <= int(hi) <= TOP_SIZE
        ):
            return (int(lo), int(hi))
        self.must.append(f"size '{quoted(raw)}'")
        return (4, 4)

    def codes(self, raw):
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        self.must.extend(repr(quoted(p)) for p in parts if p.upper() not in DS.codes)
        return {p.upper() for p in parts if p.upper() in DS.codes}

    def region_list(self, raw):
        found = set()
        for part in (raw or "").split(","):
            match = [r for r in REGIONS if r.lower() == part.strip().lower()]
            if match:
                found.add(match[0])
            elif part.strip():
                self.must.append(f"region '{quoted(part.strip())}'")
        return tuple(sorted(found))


@FUZZ
@given(FINDER_QUERY)
def test_finder_links_follow_the_contract(params):
    note(f"params: {params!r}")
    state, warnings = parse_finder(DS, params)
    want = Expected(params)
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
        want = Expected(params)
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page("views/finder.py")
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, (params, [e.value for e in at.exception])
        shown = " ".join(w.value.replace("\\", "").replace(WORD_JOINER, "") for w in at.warning)
        missing = [m for m in want.must if m.replace("\\", "") not in shown]
        assert not missing, (params, missing, shown)
        state, none = parse_finder(DS, dict(at.query_params))
        assert none == [], (params, none)
        assert (state.size_min, state.size_max) == want.size
