"""tools/import_capabilities.py on tiny hand-made tables: the year, the figures, the notes,
the file.

Three states (USA, JPN, PRK) and an organisation (NATO). The World Bank table has USA and
JPN to 2023 and no PRK; SIPRI's has USA and JPN to 2024 and PRK's last figure in 2018.
Every expected number is worked out by hand in a comment.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from tools.import_capabilities import (
    ESTIMATE,
    GDP_KEY,
    MARKER,
    MILEX_KEY,
    UNCERTAIN,
    Dataset,
    Figure,
    billions,
    capability_note,
    capability_source,
    common_year,
    compute,
    current,
    milex_label,
    parse_gdp,
    parse_milex,
    read_milex,
    rewrite_actors,
    state_codes,
    xlsx_sheet,
)

GDP_LONG = (
    "Country Name,Country Code,Year,Value\n"
    "Japan,JPN,2022,4256410760723.8\n"
    "Japan,JPN,2023,4212945000000.0\n"
    "United States,USA,2022,25744108000000.0\n"
    "United States,USA,2023,27360935000000.0\n"
    "World,WLD,2023,105435039507024.1\n"
)

# The World Bank's own bulk file: four lines of preamble, one column a year, PRK empty.
GDP_WIDE = (
    '"Data Source","World Development Indicators",\n'
    "\n"
    '"Last Updated Date","2024-09-19",\n'
    "\n"
    '"Country Name","Country Code","Indicator Name","Indicator Code","2022","2023",\n'
    '"Japan","JPN","GDP (current US$)","NY.GDP.MKTP.CD","4256410760723.8","4212945000000",\n'
    '"Korea, Dem. People\'s Rep.","PRK","GDP (current US$)","NY.GDP.MKTP.CD","","",\n'
)

# SIPRI's sheet as rows of (text, flag): title, notes, the header, a region line, states.
MILEX_ROWS = [
    [("Military expenditure by country, in millions of US$ ..., 1949-2024  © SIPRI 2024", "")],
    [('". ." = data unavailable. "xxx" = country did not exist ...', "")],
    [("Country", ""), ("Notes", ""), ("2018", ""), ("2023", ""), ("2024", "")],
    [("Americas", "")],
    [
        ("United States of America", ""),
        ("44", ""),
        ("682491", ""),
        ("916014.7", ""),
        ("997309", ""),
    ],
    [("Japan", ""), ("56", ""), ("46618", ""), ("48189.1", ESTIMATE), ("55273.9", "")],
    [("Korea, North", ""), ("57", ""), ("1604", UNCERTAIN), ("...", ""), ("...", "")],
    [("Narnia", ""), ("", ""), ("1", ""), ("1", ""), ("1", "")],  # not an actor: ignored
]

ACTORS = (
    "code,name,kind,region,lat,lon,gdp_usd_bn,defence_usd_bn,capability_year,"
    "capability_source,note\n"
    "USA,United States,state,North America,38.9,-77.0,27000.0,900.0,2022,"
    'wb-gdp;sipri-milex,"WB GDP; SIPRI milex 2022, recalled"\n'
    "NATO,North Atlantic Treaty Organization,organization,Europe,50.8,4.3,,1264.1,2023,"
    'nato-defence-expenditures,"Defence = sum of NATO 2023 estimates, approx."\n'
    "JPN,Japan,state,Northeast Asia,35.7,139.7,4200.0,50.2,2023,"
    "wb-gdp;sipri-milex;jp-nss-2022,Dec 2022 NSS: 2% of GDP in FY2027\n"
    "PRK,North Korea,state,Northeast Asia,39.0,125.8,,,2023,imf-weo-2024,\n"
)


def datasets() -> list[Dataset]:
    milex, edition = parse_milex(MILEX_ROWS)
    return [
        Dataset(GDP_KEY, "World Bank GDP", "GDP", parse_gdp(GDP_LONG)),
        Dataset(MILEX_KEY, milex_label(edition), "defence", milex),
    ]


class TestReading:
    def test_long_and_wide_world_bank_tables(self):
        long, wide = parse_gdp(GDP_LONG), parse_gdp(GDP_WIDE)
        assert long["USA"][2023] == Figure(27360935000000.0)
        assert long["JPN"][2023] == wide["JPN"][2023] == Figure(4212945000000.0)
        assert "PRK" not in long and wide["PRK"] == {}  # a row without a figure
        assert "WLD" in long  # aggregates are read, and never asked for

    def test_sipri_in_millions_with_its_flags(self):
        milex, edition = parse_milex(MILEX_ROWS)
        assert edition == "1949-2024"
        assert milex["USA"][2023] == Figure(916014.7e6)
        assert milex["JPN"][2023] == Figure(48189.1e6, ESTIMATE)
        assert milex["PRK"] == {2018: Figure(1604e6, UNCERTAIN)}  # ". . ." is no figure
        assert set(milex) == {"USA", "JPN", "PRK"}

    def test_sipri_sheet_saved_as_csv(self, tmp_path):
        path = tmp_path / "current.csv"
        path.write_text(
            "Military expenditure by country (US$ m.) 1949-2024\n"
            "Country,Notes,2023,2024\n"
            "Japan,56,48189.1,55273.9\n",
            encoding="utf-8",
        )
        milex, edition = read_milex(path)
        assert milex == {"JPN": {2023: Figure(48189.1e6), 2024: Figure(55273.9e6)}}
        assert edition == "1949-2024"

    def test_a_workbook_and_its_font_colours(self, tmp_path):
        path = tmp_path / "milex.xlsx"
        write_workbook(path)
        rows = xlsx_sheet(path, "Current US$")
        assert rows[0] == [("Country", ""), ("2023", "")]
        # style 1 is font 1 (indexed 12, blue); style 2 is font 2 (rgb FFFF0000, red)
        assert rows[1] == [("Japan", ""), ("48189.1", ESTIMATE)]
        assert rows[2] == [("Egypt", ""), ("3167.2", UNCERTAIN)]
        with pytest.raises(ValueError, match="no sheet"):
            xlsx_sheet(path, "Constant (2023) US$")


class TestYear:
    def test_latest_year_both_give_for_every_state_they_cover(self):
        gdp, milex = (d.series for d in datasets())
        # the World Bank covers USA and JPN in 2023, SIPRI USA and JPN in 2024 (PRK's
        # last figure is 2018: not covered any more); both have USA and JPN in 2023
        assert current(milex, ["USA", "JPN", "PRK"]) == {"USA", "JPN"}
        assert common_year([gdp, milex], ["USA", "JPN", "PRK"]) == 2023

    def test_a_gap_pushes_the_year_back(self):
        a = {"X": {2021: Figure(1), 2022: Figure(1)}, "Y": {2021: Figure(1), 2022: Figure(1)}}
        b = {"X": {2021: Figure(1), 2022: Figure(1)}, "Y": {2021: Figure(1), 2023: Figure(1)}}
        # b's latest year is 2023, in which it covers Y alone; a's is 2022 (X and Y).
        # 2022: Y has no figure in b; 2021: every covered state has one in both
        assert common_year([a, b], ["X", "Y"]) == 2021

    def test_no_common_year(self):
        a = {"X": {2010: Figure(1)}}
        b = {"X": {2020: Figure(1)}}
        assert common_year([a, b], ["X"]) is None
        assert common_year([a, {}], ["X"]) is None


class TestFigures:
    @pytest.mark.parametrize(
        ("dollars", "bn"),
        [
            (27_360_935_000_000.0, 27360.9),  # at least one decimal
            (916_014_700_000.0, 916.0),
            (47_801_863_038.9, 47.8),
            (3_029_024_714.7, 3.03),  # three significant figures
            (73_348_297.5, 0.0733),
            (0.0, 0.0),
        ],
    )
    def test_billions(self, dollars, bn):
        assert billions(dollars) == bn

    def test_figures_flags_and_reasons(self):
        caps = {c.code: c for c in compute(datasets(), ["USA", "JPN", "PRK"])}
        usa, jpn, prk = caps["USA"], caps["JPN"], caps["PRK"]
        assert (usa.gdp_bn, usa.defence_bn, usa.year) == (27360.9, 916.0, 2023)
        assert usa.note == (
            f"{MARKER} GDP from World Bank GDP, 2023; "
            "defence from SIPRI Milex 1949-2024 edition (current US$), 2023"
        )
        assert (jpn.gdp_bn, jpn.defence_bn) == (4212.9, 48.2)
        assert jpn.note.endswith("2023, a SIPRI estimate")
        assert (prk.gdp_bn, prk.defence_bn, prk.year) == (None, None, 2023)
        assert "GDP blank: no figure in World Bank GDP" in prk.note
        assert "defence blank: no 2023 figure in SIPRI Milex" in prk.note
        assert "(last figure 2018)" in prk.note

    def test_without_a_common_year_each_dataset_gives_its_latest(self):
        gdp = Dataset(GDP_KEY, "WB", "GDP", {"X": {2010: Figure(2e9)}})
        mil = Dataset(MILEX_KEY, "SIPRI", "defence", {"X": {2020: Figure(1e9)}})
        (cap,) = compute([gdp, mil], ["X"])
        assert (cap.gdp_bn, cap.defence_bn, cap.year) == (2.0, 1.0, None)
        assert "no common year" in cap.note and "WB, 2010" in cap.note
        assert "SIPRI, 2020" in cap.note

    def test_the_notes_own_text_is_kept_and_the_rest_replaced(self):
        assert capability_note("", f"{MARKER} x") == f"{MARKER} x"
        assert (
            capability_note("Capital: Pretoria.", f"{MARKER} x") == f"Capital: Pretoria. {MARKER} x"
        )
        twice = capability_note(capability_note("Own text", f"{MARKER} old"), f"{MARKER} new")
        assert twice == f"Own text. {MARKER} new"

    def test_sources_keep_keys_the_note_cites(self):
        keys = [GDP_KEY, MILEX_KEY]
        assert capability_source("wb-gdp;sipri-milex;jp-nss-2022", keys) == (
            "wb-gdp;sipri-milex;jp-nss-2022"
        )
        assert capability_source("imf-weo-2024;sipri-milex", keys) == "wb-gdp;sipri-milex"
        assert capability_source("", keys) == "wb-gdp;sipri-milex"


class TestFile:
    def test_states_rewritten_organisations_kept_and_a_rerun_changes_nothing(self):
        codes = state_codes(ACTORS)
        assert codes == ["USA", "JPN", "PRK"]
        caps = compute(datasets(), codes)
        once = rewrite_actors(ACTORS, caps, [GDP_KEY, MILEX_KEY])
        lines = once.splitlines()
        assert lines[0] == ACTORS.splitlines()[0]
        assert lines[2] == ACTORS.splitlines()[2]  # NATO, byte for byte
        assert lines[1].startswith(
            "USA,United States,state,North America,38.9,-77.0,27360.9,916.0,2023,"
            'wb-gdp;sipri-milex,"WB GDP; SIPRI milex 2022, recalled. Capability figures:'
        )
        assert ",4212.9,48.2,2023,wb-gdp;sipri-milex;jp-nss-2022," in lines[3]
        assert (
            lines[3]
            .split(",wb-gdp;sipri-milex;jp-nss-2022,")[1]
            .startswith('"Dec 2022 NSS: 2% of GDP in FY2027. Capability figures:')
        )
        assert lines[4].startswith("PRK,North Korea,state,Northeast Asia,39.0,125.8,,,2023,")
        assert ",wb-gdp;sipri-milex," in lines[4]
        assert rewrite_actors(once, caps, [GDP_KEY, MILEX_KEY]) == once


def write_workbook(path) -> None:
    """The smallest workbook with a "Current US$" sheet: shared strings, a blue and a red
    font (SIPRI's estimate and uncertain colours)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "xl/workbook.xml": f"<workbook {ns} {rel}><sheets>"
        '<sheet name="Front page" sheetId="1" r:id="rId1"/>'
        '<sheet name="Current US$" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": f"<sst {ns}><si><t>Country</t></si><si><t>Japan</t></si>"
        "<si><t>Egypt</t></si></sst>",
        "xl/styles.xml": f'<styleSheet {ns}><fonts><font><color theme="1"/></font>'
        '<font><color indexed="12"/></font><font><color rgb="FFFF0000"/></font></fonts>'
        '<cellXfs><xf fontId="0"/><xf fontId="1"/><xf fontId="2"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData/></worksheet>",
        "xl/worksheets/sheet2.xml": f"<worksheet {ns}><sheetData>"
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2023</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>48189.1</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="2"><v>3167.2</v></c></row>'
        "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, xml in parts.items():
            z.writestr(name, xml)


def test_the_method_page_quotes_the_datas_floors_and_blanks():
    """The Pillars section names the states without a figure and the smallest figures."""
    from model import load_dataset

    method = (Path(__file__).resolve().parent.parent / "docs" / "method.md").read_text(
        encoding="utf-8"
    )
    pillars = method.split("## Pillars")[1].split("\n## ")[0]
    states = [a for a in load_dataset().actors if a.kind == "state"]
    gdp = min((a.gdp_usd_bn, a.name) for a in states if a.gdp_usd_bn)
    defence = min((a.defence_usd_bn, a.name) for a in states if a.defence_usd_bn)
    assert f"{gdp[1]} for\n  GDP (USD {gdp[0]}bn)" in pillars
    assert f"{defence[1]} for defence (USD {defence[0]}bn)" in pillars
    no_gdp = {a.code for a in states if not a.gdp_usd_bn}
    no_defence = {a.code for a in states if not a.defence_usd_bn}
    assert (no_gdp, no_defence) == ({"PRK", "TWN"}, {"PRK", "VNM", "ARE", "LAO", "SLB"})
    text = (Path(__file__).resolve().parent.parent / "data" / "actors.csv").read_text("utf-8")
    years = {
        r["capability_year"] for r in csv.DictReader(io.StringIO(text)) if r["kind"] == "state"
    }
    assert years == {"2023"} and "**The year is 2023**" in pillars
