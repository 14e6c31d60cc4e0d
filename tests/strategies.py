"""Hypothesis strategies shared by the tests: query strings for the pages' links (the
model's small random worlds are in worlds.py)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from model import COMPONENTS, load_dataset
from model.schema import FRAMINGS, REGIONS
from model.search import METHODS
from ui.finder_state import max_size
from ui.params import MAX_PARAM_LENGTH
from ui.slots_state import MAX_SLOTS

# --------------------------------------------------------------------------- links

DS = load_dataset()
FIRST, LATEST = DS.earliest_year, DS.latest_year
#: Many examples: each link is parsed in well under a millisecond.
FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values come from pools of telling cases (drawing an index is cheap, so thousands of links
# run in seconds) or are any text at all; keys are the page's own, near misses, or odd.
ODD = [
    "",
    " ",
    "\t",
    "\x00",
    "\u202e",
    "🙂",
    "%2C",
    "&#106;",
    "<b>x</b>",
    "[x](javascript:1)",
    ":red[x]",
    "$x$",
    "\\",
    "'",
    '"',
    "NaN",
    "None",
    "https://evil.example/x",
    "www.evil.example",
    "me@evil.example",
    "a" * (MAX_PARAM_LENGTH + 1),
]
_rng = random.Random(0)
_CODE_LIKE = [
    *DS.codes,
    *(f" {c.lower()} " for c in DS.codes),
    "XX",
    "ZZZ",
    "ＵＳＡ",
    "ıdn",
    "EUR",
    "usa\x00",
    "U SA",
    *ODD,
]
POOLS = {
    "members": [
        *DS.presets,
        *(f" {p.upper()} " for p in DS.presets),
        "USA," * 120,
        *ODD,
        *(
            _rng.choice([",", ", ", ",,", ";", "|", "，"]).join(
                _rng.choices(_CODE_LIKE, k=_rng.randint(0, 6))
            )
            for _ in range(300)
        ),
    ],
    "framing": [*FRAMINGS, " ALLIANCE\t", "Economic", "alliances", "ALLİANCE", "a,b", *ODD],
    "year": [
        *(str(y) for y in range(FIRST - 3, LATEST + 4)),
        " 2020 ",
        "2024.0",
        "２０２４",
        "1e3",
        "-2000",
        "0x7e8",
        "2_024",
        "9" * 399,
        str(10**300),
        *ODD,
    ],
    "weight": [
        "0",
        "-0",
        "0.25",
        "2",
        "10",
        "10.000001",
        "nan",
        "inf",
        "-1",
        "1e400",
        "1_0",
        "٣",
        "0x1p-2",
        " 3 ",
        "1e-320",
        *(repr(_rng.uniform(-2, 12)) for _ in range(40)),
        *ODD,
    ],
    "layout": ["map", "force", " FORCE ", "Map", "forced", "geo", "", *ODD],
    "other": ODD,
}
#: What-if edits: good ones (any case, a '+' lost to form decoding, @YEAR) and bad ones.
EDITS = [
    "-friction:JPN-KOR",
    "+tie:JPN-KOR:security_agreement:0.6",
    " tie:IND-USA:treaty_alliance:0.75",
    "\t sens:IND:framing:alliance:0.25",
    "+TIE:kor-jpn:FTA:.5@2030",
    "-sens:IND",
    "-sens:ind:framing:Alliance",
    "+sens:KOR:member:JPN:0.4",
    "=threat:IND:CHN:0.9",
    "-tie:AUS-JPN@2010",
    f"-tie:AUS-JPN@{LATEST}",
    f"-tie:AUS-JPN@{FIRST}",
    "+friction:IND-USA:trade_dispute:1",
    "+tie:NATO-JPN:membership:1",
    "+tie:JPN-JPN:fta:0.5",
    "+tie:JPN-KOR:fta:2",
    "+tie:JPN-XXX:fta:0.5",
    "tie:JPN-KOR:fta:0.5",
    "+tie:USA-JPN:membership:0.5",
    "+tie:JPN-KOR:fta:0.5:9",
    "+sens:IND:framing:war:0.5",
    "-sens:IND:member:IND",
    "=threat:IND:IND:0.5",
    "-friction:JPN-KOR@99",
    "-friction:JPN-KOR@3000",
    "-tie",
    "+tie:JPN-KOR:fta:1e-1",
    *ODD,
]
_erng = random.Random(2)
POOLS["what_if"] = [
    *EDITS,
    *(";".join(_erng.choices(EDITS, k=_erng.randint(0, 5))) for _ in range(200)),
    ";".join(["-sens:IND"] * 21),  # one past the limit
    ";".join(["+tie:JPN-KOR:security_agreement:0.123456789"] * 45),  # over 2,000 characters
]
OTHER_KEYS = [
    "Members",
    "s5",
    "f0",
    "yr",
    "<b>x</b>",
    "s1 ",
    "w_ties2",
    "",
    "utm_source",
    "embed",
    "embed_options",
    "utm_x\x00",
]


def query(kinds: dict[str, str]) -> st.SearchStrategy[dict]:
    """A query string as a page sees it: pairs in order, a repeated key becomes a list."""
    keys = [*kinds.items(), *((k, "other") for k in OTHER_KEYS)]
    pair = st.tuples(st.integers(0, len(keys)), st.one_of(st.integers(0, 999), st.text(max_size=8)))

    def grouped(pairs: list[tuple[int, int | str]]) -> dict[str, str | list[str]]:
        params: dict[str, list[str]] = {}
        for i, value in pairs:
            if i == len(keys):  # any text as a key
                key, value = str(value), "1"
            else:
                key, kind = keys[i]
                if isinstance(value, int):
                    value = POOLS[kind][value % len(POOLS[kind])]
            params.setdefault(key, []).append(value)
        # a single value comes as a string or as a list of one, as either may reach a page
        return {k: v[0] if len(v) == 1 and len(k) % 2 else v for k, v in params.items()}

    return st.lists(pair, max_size=7).map(grouped)


BUILD_KINDS = (
    {"members": "members", "framing": "framing", "year": "year", "layout": "layout"}
    | {f"w_{c}": "weight" for c in COMPONENTS}
    | {"what_if": "what_if"}
)
SLOT_KINDS = (
    {f"s{i}": "members" for i in range(1, MAX_SLOTS + 1)}
    | {f"f{i}": "framing" for i in range(1, MAX_SLOTS + 1)}
    | {f"w{i}": "what_if" for i in range(1, MAX_SLOTS + 1)}
    | {"year": "year"}
)
TIMELINE_KINDS = SLOT_KINDS | {"start": "year"}

TOP_SIZE = max_size(DS)
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
_frng = random.Random(1)
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
        *(",".join(_frng.sample(REGIONS, 2)) for _ in range(10)),
    ],
    "orgs": [*TRUE, *FALSE, "TRUE", " 1 ", "2", "maybe", *ODD],
    "top": ["1", "10", "100", "101", "0", "-1", "５", " 7 ", "3.0", *ODD],
    "method": [*METHODS, "BEAM", " auto ", "genetic", *ODD],
}
POOLS.update({f"finder_{kind}": values for kind, values in FINDER_POOLS.items()})
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


def random_query(rng: random.Random, kinds: dict[str, str]) -> dict[str, str | list[str]]:
    """A link for a page: each parameter there half the time, now and then repeated."""
    params: dict[str, str | list[str]] = {}
    for key, kind in kinds.items():
        if rng.random() < 0.5:
            values = rng.choices(POOLS[kind], k=1 if rng.random() < 0.85 else rng.randint(2, 3))
            params[key] = values[0] if len(values) == 1 else values
    if rng.random() < 0.2:
        params[rng.choice(OTHER_KEYS)] = rng.choice(ODD)
    return params


def cases(seed: int, n: int, kinds: dict[str, str]) -> list[dict]:
    rng = random.Random(seed)
    return [random_query(rng, kinds) for _ in range(n)]
