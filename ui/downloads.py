"""The download buttons of the pages: the numbers as CSV, the network as SVG and the
scenario brief as HTML (the content comes from ui/exports.py and ui/brief.py).

The brief, the SVG and the build and compare pages' numbers are made when the button is
pressed (a deferred download), so a page run never pays for them (the numbers' table and
its CSV cost a build page run ~3 ms); so are the finder's and timeline's CSVs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

from model import Dataset, Score
from model.words import preset_of, title
from ui import cache, datastore
from ui.brief import SlotBrief, brief_pdf, compare_brief, network_svg, scenario_brief
from ui.exports import build_numbers, csv_bytes, scenario_name, slots_name
from ui.slots_state import Slot

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = ["brief_button", "build_downloads", "compare_downloads", "csv_button", "pdf_button"]

CSV, HTML, SVG, PDF = "text/csv", "text/html", "image/svg+xml", "application/pdf"


def csv_button(
    where,
    label: str,
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    key: str,
    width: str = "content",
) -> None:
    """A button downloading ``frame`` as ``name.csv`` (spreadsheet-safe); a function
    giving the frame is called only when the button is pressed."""
    where.download_button(
        label,
        (lambda: csv_bytes(frame())) if callable(frame) else csv_bytes(frame),
        file_name=f"{name}.csv",
        mime=CSV,
        key=key,
        on_click="ignore",
        icon=":material/table_view:",
        width=width,
    )


def brief_button(where, make: Callable[[], str], name: str, key: str) -> None:
    """A button downloading the brief ``make`` writes, as ``name-brief.html``."""
    where.download_button(
        "Scenario brief (HTML)",
        lambda: make().encode("utf-8"),
        file_name=f"{name}-brief.html",
        mime=HTML,
        key=key,
        on_click="ignore",
        icon=":material/description:",
        width="stretch",
        help="A printable brief to attach to an email: the scenario and its link, the score "
        "and interval, the breakdown, the explanation, who holds it together and the network "
        "on two pages, then the rows and sources the score rests on, dated.",
    )


def pdf_button(where, make: Callable[[], str], name: str, key: str) -> None:
    """A button downloading the brief ``make`` writes as an A4 PDF, ``name-brief.pdf``."""
    where.download_button(
        "Scenario brief (PDF)",
        lambda: brief_pdf(make()),
        file_name=f"{name}-brief.pdf",
        mime=PDF,
        key=key,
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        width="stretch",
        help="The same brief as an A4 PDF: two pages to paste into a memo, then an appendix "
        "with the rows the score rests on and their sources.",
    )


def _today() -> str:
    return datetime.date.today().isoformat()


def build_downloads(ds: Dataset, result: Score, layout: str, link: str) -> None:
    """The build page's row of downloads: brief, numbers, network image, each of the
    scenario's one result (a what-if says so in its title and file names)."""
    s = result.scenario
    name = scenario_name(ds, s)
    pos = cache.layout(ds, layout)
    ctx = cache.context(ds, s)
    custom = datastore.is_custom()
    preset = preset_of(ds, s.members)
    scores = [(n, v) for _, n, v in cache.yardstick(ds, s)]

    def brief() -> str:
        return scenario_brief(
            ds,
            result,
            title=title(ds, s),
            link=link,
            network=network_svg(ctx, s.members, pos),
            rows=cache.provenance(ds, s, limit=None),
            generated=_today(),
            custom=custom,
            yardstick=scores,
            extra_sources=preset.sources if preset else (),
        )

    a, pdf, b, c = st.columns(4)
    brief_button(a, brief, name, "build_brief")
    numbers = lambda: build_numbers(ds, result)  # noqa: E731  (made when pressed)
    pdf_button(pdf, brief, name, "build_pdf")
    csv_button(b, "Numbers (CSV)", numbers, f"{name}-numbers", "build_csv", "stretch")
    c.download_button(
        "Network (SVG)",
        lambda: network_svg(ctx, s.members, pos).encode("utf-8"),
        file_name=f"{name}-network.svg",
        mime=SVG,
        key="build_svg",
        on_click="ignore",
        icon=":material/image:",
        width="stretch",
        help="The members and their ties as a vector image. Every chart also has a "
        "PNG download at its top right.",
    )


def compare_downloads(
    ds: Dataset,
    slots: Sequence[Slot],
    results: Sequence[Score],
    labels: Sequence[str],
    odds: Sequence[str],
    why: Sequence[tuple[str, Sequence[str]]],
    link: str,
    numbers: pd.DataFrame | Callable[[], pd.DataFrame],
    note: str = "",
) -> None:
    """The compare page's downloads: the brief and the slots side by side as CSV (``why``:
    the sentences of each pair of slots; ``note``: what makes the slots unlike;
    ``numbers``: the CSV's frame, or a function making it when the button is pressed)."""
    year = results[0].scenario.year if results else ds.latest_year
    name = slots_name(ds, "compare", slots, year)
    pos = cache.layout(ds, "map")
    custom = datastore.is_custom()

    def brief() -> str:
        parts = [
            SlotBrief(
                label,
                r,
                network_svg(cache.context(ds, r.scenario), r.scenario.members, pos, 560, 340),
                cache.provenance(ds, r.scenario, limit=None),
                odd,
            )
            for label, r, odd in zip(labels, results, odds, strict=True)
        ]
        title = "Compare: " + " vs ".join(labels) + f" · {year}"
        return compare_brief(
            ds,
            parts,
            title=title,
            link=link,
            why=why,
            generated=_today(),
            custom=custom,
            note=note,
        )

    a, pdf, b, _ = st.columns([1, 1, 1, 1])
    brief_button(a, brief, name, "cmp_brief")
    pdf_button(pdf, brief, name, "cmp_pdf")
    csv_button(b, "Side by side (CSV)", numbers, f"{name}-slots", "cmp_csv", "stretch")
