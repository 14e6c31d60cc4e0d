"""The coverage table of docs/method.md: it matches the data, the new actors meet the
standard, and the counts are right on a hand-made dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import load_dataset
from model.data import parse_tables
from tests.builders import SOURCE, csv_bytes, friction, sensitivity, tables, threat, tie
from tools.coverage import (
    END,
    GENERATED,
    MIN_PARTNERS,
    MIN_ROWS,
    NEW_ACTORS,
    START,
    coverage,
    coverage_markdown,
)

ROOT = Path(__file__).resolve().parent.parent
METHOD = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")

#: The 25 actors added after the first dataset (issue #20).
_CODES = (
    "ARG BRA MEX SAU ZAF TUR SWE FIN NOR NLD ESP ARE ISR EGY PAK BGD LKA BRN KHM LAO MMR "
    "MNG PNG FJI SLB"
)
NEW = tuple(_CODES.split())


def test_the_table_in_the_method_page_matches_the_data():
    table = METHOD.split(START)[1].split(END)[0].strip()
    assert table == coverage_markdown(load_dataset(), NEW_ACTORS), (
        "docs/method.md is stale: run python -m tools.coverage --write-doc"
    )


def test_the_new_actors_are_the_issues_list():
    assert sorted(NEW_ACTORS) == sorted(NEW) and len(NEW) == 25


@pytest.mark.parametrize("code", NEW)
def test_every_new_actor_meets_the_standard(code):
    by_code = {c.code: c for c in coverage(load_dataset())}
    assert code in by_code, f"{code} is not in actors.csv"
    c = by_code[code]
    assert c.total >= MIN_ROWS, f"{code}: {c.total} sourced rows, fewer than {MIN_ROWS}"
    assert c.partners >= MIN_PARTNERS, f"{code}: {c.partners} partners"


def hand_made():
    """AAA: a treaty with BBB (1990-), a generated trade row with CCC (left out), a
    friction with CCC (2000-2005), a sensitivity about BBB as a member, a threat view of
    CCC, and BBB's threat view of AAA. DDD has nothing."""
    trade = tie("AAA", "CCC", 0.2, domain="economic", kind="trade_intensity", since=1950)
    trade["source"] = GENERATED
    files = tables(
        codes=("AAA", "BBB", "CCC", "DDD"),
        ties=[tie("AAA", "BBB", 0.9, since=1990), trade],
        frictions=[friction("AAA", "CCC", 0.3, since=2000, until=2005)],
        sensitivities=[sensitivity("AAA", "member:BBB", 0.2, since=2010)],
        threats=[threat("AAA", "CCC", 0.5, since=2015), threat("BBB", "AAA", 0.1, since=2020)],
    )
    generated = {**SOURCE, "key": GENERATED, "url": "https://example.org/cow"}
    files["sources.csv"] = csv_bytes("sources.csv", [SOURCE, generated])
    return parse_tables(files)


def test_counts_on_a_hand_made_dataset():
    by_code = {c.code: c for c in coverage(hand_made())}
    a = by_code["AAA"]
    assert a.rows == {"ties": 1, "frictions": 1, "sensitivities": 1, "threats": 2}
    assert (a.total, a.partners) == (5, 2)  # BBB and CCC; the trade row does not count
    assert (a.first, a.last, a.open) == (1990, 2020, 4)  # the friction ended in 2005
    b = by_code["BBB"]
    # the treaty, AAA's sensitivity about BBB as a member, BBB's threat view of AAA
    assert b.rows == {"ties": 1, "frictions": 0, "sensitivities": 1, "threats": 1}
    assert b.partners == 1
    d = by_code["DDD"]
    assert (d.total, d.partners, d.first, d.last) == (0, 0, None, None)
    assert d.missing() == [
        "no GDP figure",
        "no defence figure",
        f"fewer than {MIN_ROWS} rows",
        f"fewer than {MIN_PARTNERS} partners",
    ]


def test_the_summary_names_new_actors_below_the_standard():
    text = coverage_markdown(hand_made(), ["AAA", "DDD"])
    assert "| AAA | state | 1 | 1 | 1 | 2 | 5 | 2 | 1990–2020, 4 in force | none |" in text
    assert text.endswith(
        "New actors below 8 rows or 3 partners: AAA, DDD; "
        "without both capability figures: AAA, DDD."
    )
