"""What-if edits: the grammar (docs/architecture.md §5), its checks, and applying edits to a
dataset."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import load_dataset, scenario, score
from model.data import MAX_YEAR, MIN_YEAR
from model.provenance import cohesion_of
from model.schema import FRAMING_TRIGGERS, FRICTION_KINDS, TIE_KINDS
from model.score import compare
from model.whatif import (
    MAX_EDITS,
    Edit,
    WhatIfError,
    apply,
    canonical,
    ended_rows,
    is_hypothetical,
    parse,
    parse_valid,
    texts,
)
from model.words import edit_sentence

DS = load_dataset()
YEAR = 2024


class TestCanonicalForm:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("+tie:KOR-JPN:security_agreement:0.60", "+tie:JPN-KOR:security_agreement:0.6"),
            ("+tie:jpn-kor:FTA:1.0", "+tie:JPN-KOR:fta:1"),
            ("+tie:JPN-KOR:fta:.5", "+tie:JPN-KOR:fta:0.5"),
            ("-tie:USA-JPN", "-tie:JPN-USA"),
            ("-tie:USA-JPN:exercise", "-tie:JPN-USA:exercise"),
            ("+friction:KOR-JPN:trade_dispute:0", "+friction:JPN-KOR:trade_dispute:0"),
            ("-friction:KOR-JPN", "-friction:JPN-KOR"),
            ("-friction:KOR-JPN:historical_grievance", "-friction:JPN-KOR:historical_grievance"),
            ("+sens:ind:framing:Alliance:0.90", "+sens:IND:framing:alliance:0.9"),
            ("+sens:KOR:member:jpn:0.25", "+sens:KOR:member:JPN:0.25"),
            ("-sens:IND", "-sens:IND"),
            ("-sens:IND:framing:dialogue", "-sens:IND:framing:dialogue"),
            ("=threat:ind:chn:0.900", "=threat:IND:CHN:0.9"),
            ("-tie:JPN-KOR@2024", "-tie:JPN-KOR"),  # the scenario's year is not written
            ("-tie:JPN-KOR@2027", "-tie:JPN-KOR@2027"),
            (" -tie:JPN-KOR ; ; -sens:IND ;", "-tie:JPN-KOR;-sens:IND"),  # blanks are skipped
        ],
    )
    def test_canonical_text(self, text, expected):
        assert canonical(parse(text, DS, YEAR)) == expected

    def test_order_is_kept(self):
        text = "-sens:IND;+tie:JPN-KOR:fta:0.5;-tie:JPN-KOR"
        assert canonical(parse(text)) == text

    def test_texts_is_the_json_list(self):
        edits = parse("-sens:IND;=threat:IND:CHN:0.9")
        assert texts(edits) == ["-sens:IND", "=threat:IND:CHN:0.9"]

    def test_an_explicit_start_is_kept_without_a_scenario_year(self):
        assert canonical(parse("-tie:JPN-KOR@2024")) == "-tie:JPN-KOR@2024"


CODES = st.sampled_from(["USA", "JPN", "KOR", "IND", "EU", "NATO", "AB", "ABCDEF"])
VALUES = st.floats(0.0, 1.0, allow_nan=False)
STARTS = st.one_of(st.none(), st.integers(MIN_YEAR, MAX_YEAR).filter(lambda y: y != YEAR))


@st.composite
def edits(draw) -> Edit:
    op = draw(
        st.sampled_from(["+tie", "-tie", "+friction", "-friction", "+sens", "-sens", "=threat"])
    )
    a = draw(CODES)
    b = draw(CODES.filter(lambda c: c != a))
    start = draw(STARTS)
    if op in ("+sens", "-sens"):
        trigger = st.one_of(st.sampled_from(FRAMING_TRIGGERS), st.just(f"member:{b}"))
        kind = draw(trigger if op == "+sens" else st.one_of(st.none(), trigger))
        value = draw(VALUES) if op == "+sens" else None
        return Edit(op, a, None, kind, value, start)
    if op == "=threat":
        return Edit(op, a, b, None, draw(VALUES), start)
    kinds = st.sampled_from(sorted(TIE_KINDS) if op.endswith("tie") else list(FRICTION_KINDS))
    kind = draw(kinds if op[0] == "+" else st.one_of(st.none(), kinds))
    value = draw(VALUES) if op[0] == "+" else None
    return Edit(op, *sorted((a, b)), kind, value, start)


class TestRoundTrip:
    @given(st.lists(edits(), max_size=MAX_EDITS))
    def test_parse_of_canonical_gives_the_edits_back(self, items):
        items = tuple(items)
        assert parse(canonical(items), year=YEAR) == items

    @given(st.lists(edits(), min_size=1, max_size=MAX_EDITS))
    def test_canonical_text_is_a_fixed_point(self, items):
        text = canonical(items)
        assert canonical(parse(text)) == text

    @given(VALUES)
    def test_numbers_are_plain_decimals_without_trailing_zeros(self, x):
        number = Edit("+tie", "JPN", "KOR", "fta", x).text().rsplit(":", 1)[1]
        assert set(number) <= set("0123456789.")
        assert not number.endswith("0") or "." not in number
        assert float(number) == x


class TestBadEdits:
    """Every refusal quotes the edit as typed, in one line."""

    @pytest.mark.parametrize(
        "edit, what",
        [
            ("*tie:JPN-KOR", "unknown change"),
            ("tie:JPN-KOR", "unknown change"),
            ("=tie:JPN-KOR:fta:0.5", "unknown change"),
            ("+threat:JPN:CHN:0.5", "unknown change"),
            ("+tie", "the pair A-B is missing"),
            ("+tie:JPN:fta:0.5", "not a pair"),
            ("+tie:JPN-:fta:0.5", "not a pair"),
            ("+tie:JPN-JPN:fta:0.5", "two different actors"),
            ("+tie:JP1-KOR:fta:0.5", "not an actor code"),
            ("+tie:JPN-KOR:fta", "expected +tie:A-B:KIND:STRENGTH"),
            ("+tie:JPN-KOR", "expected +tie:A-B:KIND:STRENGTH"),
            ("+tie:JPN-KOR:fta:0.5:0.6", "expected +tie:A-B:KIND:STRENGTH"),
            ("+tie:JPN-KOR:alliance:0.5", "not a tie kind"),
            ("+tie:JPN-KOR:fta:1.5", "out of range [0, 1]"),
            ("+tie:JPN-KOR:fta:-0.5", "not a number"),
            ("+tie:JPN-KOR:fta:nan", "not a number"),
            ("+tie:JPN-KOR:fta:1e-3", "not a number"),
            ("+tie:JPN-KOR:fta:", "not a number"),
            ("-tie:JPN-KOR:fta:0.5", "expected -tie:A-B[:KIND]"),
            ("-tie:JPN-KOR:trade_dispute", "not a tie kind"),
            ("+friction:JPN-KOR:treaty_alliance:0.5", "not a friction kind"),
            ("+friction:JPN-KOR:trade_dispute:2", "out of range"),
            ("-friction:JPN-KOR:fta", "not a friction kind"),
            ("+sens:IND:0.5", "is not framing:alliance|dialogue|economic or member:CODE"),
            ("+sens:IND:framing:war:0.5", "is not framing:alliance|dialogue|economic"),
            ("+sens:IND:framing:alliance", "expected +sens:A:TRIGGER:SEVERITY"),
            ("+sens:IND:member:IND:0.5", "names the actor itself"),
            ("+sens:IND:member:C1:0.5", "not an actor code"),
            ("+sens", "an actor code is missing"),
            ("-sens:IND:framing:alliance:0.5", "expected -sens:A[:TRIGGER]"),
            ("-sens:IND:framing", "is not framing:alliance|dialogue|economic"),
            ("=threat:IND:CHN", "expected =threat:A:TARGET:LEVEL"),
            ("=threat:IND:IND:0.5", "cannot see itself as a threat"),
            ("=threat:IND:CHN:x", "not a number"),
            ("-tie:JPN-KOR@24", "not a four-digit year"),
            ("-tie:JPN-KOR@", "not a four-digit year"),
            ("-tie:JPN-KOR@1800", "outside 1900-2100"),
            ("-tie:JPN-XXX", "unknown actor code 'XXX'"),
            ("+sens:IND:member:XXX:0.5", "unknown actor code 'XXX'"),
            ("=threat:IND:XXX:0.5", "unknown actor code 'XXX'"),
            ("+tie:JPN-KOR:membership:0.5", "a membership ties a state to an organisation"),
        ],
    )
    def test_refusal_names_the_edit(self, edit, what):
        text = f"-sens:IND;{edit};-tie:JPN-KOR"
        with pytest.raises(WhatIfError) as err:
            parse(text, DS, YEAR)
        message = str(err.value)
        assert f"'{edit}'" in message
        assert what in message
        assert "\n" not in message
        assert err.value.edit == edit

    def test_more_than_the_limit(self):
        text = ";".join(["-sens:IND"] * MAX_EDITS)
        assert len(parse(text)) == MAX_EDITS
        with pytest.raises(WhatIfError, match="more than 20 edits") as err:
            parse(text + ";-sens:JPN")
        assert "'-sens:JPN'" in str(err.value)

    def test_control_characters_stay_on_one_line(self):
        with pytest.raises(WhatIfError) as err:
            parse("-tie:JPN-KOR:f\nta")
        assert "\n" not in str(err.value)

    def test_a_hand_made_edit_is_checked_when_applied(self):
        with pytest.raises(WhatIfError, match="unknown actor code 'XXX'"):
            apply(DS, (Edit("-tie", "JPN", "XXX"),), YEAR)

    def test_a_membership_between_a_state_and_an_organisation_is_fine(self):
        (edit,) = parse("+tie:JPN-NATO:membership:1", DS, YEAR)
        assert edit.kind == "membership"


class TestParseValid:
    """A link's edits: the good ones load and each bad one is named."""

    def test_good_edits_load_and_bad_ones_are_named(self):
        edits, errors = parse_valid("-sens:IND;+tie:JPN-XXX:fta:0.5;;-tie:JPN-KOR;=tie:A", DS, YEAR)
        assert canonical(edits) == "-sens:IND;-tie:JPN-KOR"
        assert [e.edit for e in errors] == ["+tie:JPN-XXX:fta:0.5", "=tie:A"]
        assert all(isinstance(e, WhatIfError) for e in errors)

    def test_agrees_with_parse_on_good_text(self):
        text = "-sens:IND;+tie:KOR-JPN:fta:0.50@2024;=threat:IND:CHN:0.9@2030"
        assert parse_valid(text, DS, YEAR) == (parse(text, DS, YEAR), ())

    def test_past_the_limit(self):
        edits, errors = parse_valid(";".join(["-sens:IND"] * (MAX_EDITS + 2)), DS, YEAR)
        assert len(edits) == MAX_EDITS and len(errors) == 2
        assert "more than 20 edits" in str(errors[0])


def _ended(text: str):
    return ended_rows(DS, apply(DS, parse(text, DS, YEAR), YEAR), YEAR)


class TestEndedRows:
    def test_the_rows_a_removal_ends(self):
        ended = _ended("-tie:JPN-KOR;-sens:IND:framing:alliance")
        assert ended["ties"] and all({t.a, t.b} == {"JPN", "KOR"} for t in ended["ties"])
        assert ended["ties"] == tuple(
            t for t in DS.ties if {t.a, t.b} == {"JPN", "KOR"} and t.active(YEAR)
        )
        assert [(s.actor, s.trigger) for s in ended["sensitivities"]] == [
            ("IND", "framing:alliance")
        ]
        assert ended["frictions"] == ended["threats"] == ()

    def test_a_replaced_threat_view_is_ended(self):
        ended = _ended("=threat:IND:CHN:0.2")
        assert [(t.actor, t.target) for t in ended["threats"]] == [("IND", "CHN")]

    def test_a_later_start_ends_nothing_yet(self):
        ended = _ended("-tie:JPN-KOR@2030")
        assert all(rows == () for rows in ended.values())


def _pair_rows(ds, table, a, b):
    return [r for r in getattr(ds, table) if {r.a, r.b} == {a, b}]


class TestApply:
    def test_no_edits_is_the_dataset_itself(self):
        assert apply(DS, (), YEAR) is DS

    def test_the_input_is_unchanged_and_the_result_has_its_own_fingerprint(self):
        before = (DS.fingerprint, DS.ties, DS.frictions, DS.sensitivities, DS.threats)
        new = apply(DS, parse("-tie:JPN-USA;+friction:JPN-USA:trade_dispute:0.5"), YEAR)
        assert (DS.fingerprint, DS.ties, DS.frictions, DS.sensitivities, DS.threats) == before
        assert new.fingerprint != DS.fingerprint
        assert new != DS

    @pytest.mark.parametrize(
        "a, b",
        [
            ("-tie:JPN-USA", "-tie:JPN-USA:exercise"),
            ("-tie:JPN-USA", "-tie:JPN-USA@2020"),
            ("-tie:JPN-USA;-sens:IND", "-sens:IND;-tie:JPN-USA"),
            ("+tie:JPN-KOR:fta:0.5", "+tie:JPN-KOR:fta:0.6"),
        ],
    )
    def test_different_edits_give_different_fingerprints(self, a, b):
        assert apply(DS, parse(a), YEAR).fingerprint != apply(DS, parse(b), YEAR).fingerprint

    def test_the_scenario_year_is_part_of_the_fingerprint(self):
        edits = parse("-tie:JPN-USA")
        assert apply(DS, edits, 2020).fingerprint != apply(DS, edits, 2024).fingerprint
        assert apply(DS, edits, 2020).fingerprint == apply(DS, edits, 2020).fingerprint

    def test_rows_are_never_deleted(self):
        new = apply(DS, parse("-tie:JPN-USA;-friction:JPN-KOR;-sens:IND;=threat:IND:CHN:0.2"), YEAR)
        for table in ("ties", "frictions", "sensitivities"):
            assert len(getattr(new, table)) == len(getattr(DS, table))
            for old, row in zip(getattr(DS, table), getattr(new, table), strict=True):
                assert dataclasses.replace(row, until=old.until) == old
        assert len(new.threats) == len(DS.threats) + 1

    def test_an_added_tie(self):
        new = apply(DS, parse("+tie:KOR-JPN:security_agreement:0.6@2026"), YEAR)
        added = new.ties[-1]
        assert (added.a, added.b, added.kind, added.strength) == (
            "JPN",
            "KOR",
            "security_agreement",
            0.6,
        )
        assert added.domain == TIE_KINDS["security_agreement"]
        assert (added.since, added.until, added.confidence) == (2026, None, "medium")
        assert added.sources == () and is_hypothetical(added)
        assert added.row > max(t.row for t in DS.ties)
        assert not any(is_hypothetical(t) for t in DS.ties)

    def test_added_rows_are_numbered_beyond_the_file(self):
        new = apply(DS, parse("+sens:IND:member:JPN:0.2;+sens:KOR:member:IND:0.3"), YEAR)
        last = max(s.row for s in DS.sensitivities)
        assert [s.row for s in new.sensitivities[-2:]] == [last + 1, last + 2]

    @pytest.mark.parametrize("start", [2024, 2010])
    def test_a_removal_ends_the_rows_the_year_before_it_starts(self, start):
        new = apply(DS, parse(f"-tie:JPN-USA@{start}"), YEAR)
        rows = _pair_rows(new, "ties", "JPN", "USA")
        assert rows and not any(r.active(y) for r in rows for y in range(start, MAX_YEAR + 1))
        before = _pair_rows(DS, "ties", "JPN", "USA")
        for old, row in zip(before, rows, strict=True):
            assert [row.active(y) for y in range(MIN_YEAR, start)] == [
                old.active(y) for y in range(MIN_YEAR, start)
            ]

    def test_a_removal_by_kind_leaves_the_other_kinds(self):
        new = apply(DS, parse("-tie:JPN-USA:exercise"), YEAR)
        for old, row in zip(
            _pair_rows(DS, "ties", "JPN", "USA"), _pair_rows(new, "ties", "JPN", "USA"), strict=True
        ):
            if old.kind == "exercise":
                assert not row.active(YEAR)
            else:
                assert row == old

    def test_a_threat_view_is_replaced(self):
        new = apply(DS, parse("=threat:IND:CHN:0.2@2020"), YEAR)
        views = [t for t in new.threats if (t.actor, t.target) == ("IND", "CHN")]
        for y in range(2020, MAX_YEAR + 1, 7):
            active = [t for t in views if t.active(y)]
            assert len(active) == 1 and active[0].level == 0.2
        old = [t for t in DS.threats if (t.actor, t.target) == ("IND", "CHN") and t.active(2019)]
        assert [t for t in views if t.active(2019)] == old

    def test_a_later_start_leaves_the_scenario_year_alone(self):
        s = scenario(DS, "USA,JPN,KOR", "alliance", YEAR)
        later = apply(DS, parse("-tie:JPN-KOR@2030;+friction:JPN-USA:trade_dispute:0.9@2030"), YEAR)
        assert cohesion_of(later, s) == cohesion_of(DS, s)
        s2030 = dataclasses.replace(s, year=2030)
        assert cohesion_of(later, s2030) < cohesion_of(DS, s2030)

    def test_edits_apply_in_order(self):
        s = scenario(DS, "USA,JPN,KOR", "alliance", YEAR)
        add_then_remove = apply(DS, parse("+tie:JPN-KOR:treaty_alliance:0.9;-tie:JPN-KOR"), YEAR)
        remove = apply(DS, parse("-tie:JPN-KOR"), YEAR)
        assert cohesion_of(add_then_remove, s) == cohesion_of(remove, s)
        remove_then_add = apply(DS, parse("-tie:JPN-KOR;+tie:JPN-KOR:treaty_alliance:0.9"), YEAR)
        assert cohesion_of(remove_then_add, s) > cohesion_of(remove, s)


def _single_rows(table: str, members: tuple[str, ...]):
    """Active rows among ``members`` that are alone in what a removal edit matches."""
    inside = set(members)
    rows = [r for r in getattr(DS, table) if r.active(YEAR)]
    if table in ("ties", "frictions"):
        rows = [r for r in rows if r.a in inside and r.b in inside]
        key = lambda r: (frozenset((r.a, r.b)), r.kind)  # noqa: E731
    elif table == "sensitivities":
        rows = [r for r in rows if r.actor in inside]
        key = lambda r: (r.actor, r.trigger)  # noqa: E731
    else:
        rows = [r for r in rows if r.actor in inside]
        key = lambda r: (r.actor, r.target)  # noqa: E731
    count: dict = {}
    for r in rows:
        count[key(r)] = count.get(key(r), 0) + 1
    return [r for r in rows if count[key(r)] == 1]


def _remove_and_readd(table: str, r) -> str:
    number = {"ties": "strength", "frictions": "severity", "sensitivities": "severity"}
    if table == "threats":
        return Edit("=threat", r.actor, r.target, None, r.level).text()
    v = getattr(r, number[table])
    if table == "sensitivities":
        return f"-sens:{r.actor}:{r.trigger};" + Edit("+sens", r.actor, None, r.trigger, v).text()
    a, b = sorted((r.a, r.b))
    op = "tie" if table == "ties" else "friction"
    return f"-{op}:{a}-{b}:{r.kind};" + Edit(f"+{op}", a, b, r.kind, v).text()


class TestReAdding:
    """A what-if that removes a row and adds it back gives the record's score exactly."""

    @pytest.mark.parametrize("preset", ["quad", "squad", "camp_david", "nato_ip4"])
    @pytest.mark.parametrize("table", ["ties", "frictions", "sensitivities", "threats"])
    def test_readding_gives_the_record_score(self, preset, table):
        s = scenario(DS, preset, None, YEAR)
        record = score(DS, s).cohesion
        rows = _single_rows(table, s.members)
        for r in rows:
            new = apply(DS, parse(_remove_and_readd(table, r), DS, YEAR), YEAR)
            assert score(new, s).cohesion == record, r

    def test_there_are_rows_to_readd(self):
        members = scenario(DS, "nato_ip4", None, YEAR).members
        for table in ("ties", "sensitivities", "threats"):
            assert _single_rows(table, members), table


class TestDescribe:
    @pytest.mark.parametrize(
        "text, sentence",
        [
            (
                "-friction:JPN-KOR:historical_grievance",
                "Japan–South Korea: historical grievance friction removed",
            ),
            ("-tie:JPN-KOR", "Japan–South Korea: every tie removed"),
            (
                "+tie:JPN-KOR:treaty_alliance:0.6@2027",
                "Japan–South Korea: treaty alliance (tie, strength 0.6) added from 2027",
            ),
            ("=threat:IND:CHN:0.9", "India sees China as a threat at level 0.9"),
            ("-sens:IND", "India: every sensitivity removed"),
            (
                "-sens:IND:framing:alliance",
                "India: unease at a grouping framed as alliance removed",
            ),
            (
                "+sens:KOR:member:JPN:0.3",
                "South Korea: unease when Japan is a member (severity 0.3) added",
            ),
        ],
    )
    def test_plain_sentence(self, text, sentence):
        (edit,) = parse(text)
        assert edit_sentence(DS, edit) == sentence


class TestCompareWhatIf:
    def test_each_side_is_scored_with_its_own_edits(self):
        a = scenario(DS, "quad", None, YEAR)
        b = a.with_edits(parse("+tie:IND-USA:treaty_alliance:0.8", DS, YEAR))
        result = compare(DS, a, b, draws=50)
        assert result.a.cohesion == score(DS, a).cohesion
        assert result.b.cohesion == score(apply(DS, b.what_if, YEAR), a).cohesion
        assert 0.0 <= result.a_beats_b <= 1.0

    def test_the_draws_are_shared_across_edits(self):
        """Unease added on one side only lowers it in every draw: the other rows' noise is
        the same on both sides, so the record beats the what-if in all of them."""
        a = scenario(DS, "quad", None, YEAR)
        b = a.with_edits(parse("+sens:JPN:framing:dialogue:0.5", DS, YEAR))
        assert compare(DS, a, b, draws=200).a_beats_b == 1.0
