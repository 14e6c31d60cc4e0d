"""A scenario brief: one self-contained, printable HTML page to attach to an email.

The build page's brief holds the scenario, its link, the score and interval, the component
breakdown, the explanation, who holds it together, the network as an image (inline SVG,
drawn here), the rows the score rests on and their sources, dated. The compare page's
brief holds the same for each slot, side by side, with why they differ.

Every text is escaped (``html.escape``), only http(s) addresses become links, and the page
carries no script: its Content-Security-Policy allows none, and inline styles only.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from model import COMPONENTS, Dataset, Edit, RowEffect, Scenario, Score
from model.cohesion import Context
from model.difference import component_points
from model.provenance import WHAT_IF_FILE
from model.schema import DOMAINS
from model.words import CHANGE_IF_LEFT, edit_sentence
from ui.network import node_size, pair_edges
from ui.provenance_view import row_sentence
from ui.style import (
    COMPONENT_LABELS,
    DOMAIN_COLOURS,
    FRICTION_COLOUR,
    MEMBER_COLOUR,
    OTHER_COLOUR,
    SUBTRACTED,
)

__all__ = ["PDF_ENGINE", "SlotBrief", "brief_pdf", "compare_brief", "network_svg", "scenario_brief"]

_WEB = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
#: The rows a brief lists in full; the sources of every row are listed all the same.
ROWS_SHOWN = 25
#: The rows the brief's first pages list; the appendix lists them all.
MAIN_ROWS = 5
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font-family:Georgia,'Times New Roman',serif;color:#111827;max-width:58rem;margin:2rem auto;
padding:0 1.2rem;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;
border-bottom:1px solid #d1d5db;padding-bottom:.15rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.3rem 0}
th,td{text-align:left;padding:.2rem .45rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.score{font-size:2.2rem;font-weight:bold}.muted{color:#6b7280;font-size:.85rem}
.cols{display:flex;gap:1rem;flex-wrap:wrap}.cols>div{flex:1 1 16rem}
svg{max-width:100%;height:auto;border:1px solid #e5e7eb;background:#fbfbfd}
a{color:#1f5fa8;word-break:break-all}
.appendix{margin-top:2.5rem}
@page{size:A4;margin:14mm 14mm 16mm;
@bottom-right{content:"page " counter(page) " of " counter(pages);font:8pt sans-serif;
color:#4b5563}}
@media print{body{margin:0;max-width:none;font-size:9.5pt;line-height:1.32}
h1{font-size:15pt}h2{font-size:11pt;margin:.7rem 0 .25rem}h3{font-size:10pt;margin:.5rem 0 .2rem}
p{margin:.25rem 0}ul,ol{margin:.2rem 0;padding-left:1.2rem}.score{font-size:18pt}
table{font-size:8.5pt}th,td{padding:.08rem .35rem}
a{color:#111827}h2{break-after:avoid}table,svg,figure{break-inside:avoid}
svg{width:100%;max-height:78mm}.appendix{break-before:page;margin-top:0}
.cols{display:flex;gap:6mm}.cols>div{flex:1 1 0}}
"""
#: Why WeasyPrint makes the PDF: it lays the brief's own HTML and print CSS out (A4 pages,
#: page breaks, the appendix on a new page) with Pango, so the PDF holds exactly what the
#: HTML does; it is pure Python on PyPI over Debian's Pango, with no browser or server to
#: run, and it reads no script. Chromium's print-to-PDF would need a browser on the server.
PDF_ENGINE = "WeasyPrint"


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str, text: str | None = None) -> str:
    """A link when ``url`` is an http(s) address, plain text otherwise."""
    shown = esc(text if text is not None else url)
    return f'<a href="{esc(url)}">{shown}</a>' if _WEB.match(url.strip()) else shown


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n"
        f"{body}\n</body></html>\n"
    )


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], numeric=()) -> str:
    def cell(tag: str, i: int, value: object) -> str:
        cls = " class='n'" if i in numeric else ""
        return f"<{tag}{cls}>{value}</{tag}>"

    out = ["<table><thead><tr>"]
    out += [cell("th", i, esc(h)) for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


# --------------------------------------------------------------------------- the network


def network_svg(
    ctx: Context,
    members: Sequence[str],
    pos: dict[str, tuple[float, float]],
    width: int = 720,
    height: int = 440,
) -> str:
    """The network as inline SVG: members labelled, their framed ties coloured by the domain
    that weighs most (width by strength), frictions dashed red, other actors as grey dots."""
    ds, pad = ctx.dataset, 34
    # the view fits the members (a square scale, so distances keep their proportions)
    shown = [pos[c] for c in members] or list(pos.values())
    lo_x, hi_x = min(x for x, _ in shown), max(x for x, _ in shown)
    lo_y, hi_y = min(y for _, y in shown), max(y for _, y in shown)
    scale = min(
        (width - 2 * pad) / max(hi_x - lo_x, 0.3), (height - 2 * pad - 20) / max(hi_y - lo_y, 0.3)
    )
    mid_x, mid_y = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2

    def xy(code: str) -> tuple[float, float]:
        x, y = pos[code]
        return width / 2 + (x - mid_x) * scale, (height - 20) / 2 + 6 - (y - mid_y) * scale

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' "
        f"aria-label='{esc('Network of ' + ', '.join(members))}'>"
    ]
    inside = set(members)
    for code in ds.codes:
        x, y = xy(code)
        if code not in inside and 0 <= x <= width and 0 <= y <= height - 20:
            parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{OTHER_COLOUR}'/>")
    for edge in pair_edges(ctx, members):
        (x0, y0), (x1, y1) = xy(edge.a), xy(edge.b)
        if edge.framed > 0:
            parts.append(
                f"<line x1='{x0:.1f}' y1='{y0:.1f}' x2='{x1:.1f}' y2='{y1:.1f}' "
                f"stroke='{DOMAIN_COLOURS[edge.main]}' stroke-width='{1 + 5 * edge.framed:.1f}' "
                f"stroke-opacity='{0.35 + 0.5 * edge.framed:.2f}'/>"
            )
        if edge.friction > 0:
            dx, dy = x1 - x0, y1 - y0
            n = math.hypot(dx, dy) or 1.0
            ox, oy = -dy / n * 5, dx / n * 5
            parts.append(
                f"<line x1='{x0 + ox:.1f}' y1='{y0 + oy:.1f}' x2='{x1 + ox:.1f}' "
                f"y2='{y1 + oy:.1f}' stroke='{FRICTION_COLOUR}' "
                f"stroke-width='{1.5 + 3 * edge.friction:.1f}' stroke-dasharray='6 4'/>"
            )
    for code in members:
        x, y = xy(code)
        r = node_size(ds.actor(code)) / 2
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='{MEMBER_COLOUR}' "
            "stroke='#7a5200' stroke-width='1.5'/>"
            f"<text x='{x:.1f}' y='{y - r - 4:.1f}' text-anchor='middle' font-size='13' "
            f"font-family='sans-serif' font-weight='bold' fill='#111827'>{esc(code)}</text>"
        )
    colours = " ".join(
        f"<tspan fill='{DOMAIN_COLOURS[d]}' font-weight='bold'>{d}</tspan>" for d in DOMAINS
    )
    parts.append(
        f"<text x='8' y='{height - 8}' font-size='11' font-family='sans-serif' "
        f"fill='#6b7280'>Ties among members by main domain ({colours}), wider when "
        f"stronger; <tspan fill='{FRICTION_COLOUR}'>dashed: friction</tspan>.</text></svg>"
    )
    return "".join(parts)


# --------------------------------------------------------------------------- the parts


def _cited(rows: Sequence[RowEffect], extra: Sequence[str] = ()) -> list[str]:
    keys = {k for r in rows if r.file != WHAT_IF_FILE for k in r.source.split(";") if k}
    return sorted(keys | set(extra))


def _appendix(parts: Sequence[tuple[str, str]]) -> str:
    """The long tables after a page break: each ``(heading, html)`` under "Appendix"."""
    inner = "".join(f"<h2>Appendix: {esc(head)}</h2>{html_}" for head, html_ in parts)
    return f"<section class='appendix'>{inner}</section>"


def _yardstick(result: Score, yardstick: Sequence[tuple[str, float]]) -> str:
    """Where the score sits among the well-known groupings, in one sentence and a line."""
    ranked = sorted(yardstick, key=lambda nv: -nv[1])
    changed = ", with the same changes to the record" if result.scenario.what_if else ""
    above = sum(1 for _, v in ranked if v > (result.cohesion or 0))
    cells = "; ".join(f"{esc(n)} {v:.1f}" for n, v in ranked)
    return (
        "<h2>Against well-known groupings</h2>"
        f"<p>{above} of the {len(ranked)} well-known groupings score higher in the same "
        f"framing and year{esc(changed)}.</p><p class='muted'>{cells}.</p>"
    )


def _rows_section(
    ds: Dataset, rows: Sequence[RowEffect], edits: Sequence[Edit] = (), more: int = 0
) -> str:
    if not rows:
        return "<p>No row of the data moves this score.</p>"
    shown = []
    for r in rows[:ROWS_SHOWN]:
        where = "what-if change" if r.file == WHAT_IF_FILE else f"{r.file} row {r.row}"
        keys = "" if r.file == WHAT_IF_FILE else ", ".join(k for k in r.source.split(";") if k)
        shown.append((f"{r.effect:+.2f}", esc(row_sentence(ds, r, edits)), esc(where), esc(keys)))
    out = _table(["effect (points)", "row", "where", "sources"], shown, numeric=(0,))
    if more > 0:
        out += (
            f"<p class='muted'>The appendix lists more of these {len(rows) + more} rows, and "
            "every source they cite.</p>"
        )
    elif len(rows) > ROWS_SHOWN:
        out += (
            f"<p class='muted'>… and {len(rows) - ROWS_SHOWN} more rows with smaller effects; "
            "their sources are listed below too.</p>"
        )
    return (
        "<p class='muted'>Each row's effect is the cohesion with it minus the cohesion without "
        "it, recomputed in full.</p>" + out
    )


def _sources_section(ds: Dataset, keys: Sequence[str]) -> str:
    items = []
    for key in keys:
        s = ds.sources.get(key)
        if s is None:
            items.append(f"<li>{esc(key)} (not in the sources table)</li>")
            continue
        items.append(
            f"<li><b>{esc(key)}</b>: {esc(s.title)}. {esc(s.publisher)}, {esc(s.year)}. "
            f"{_link(s.url)}</li>"
        )
    return f"<ol>{''.join(items)}</ol>" if items else "<p>No source is cited.</p>"


def _components_table(result: Score) -> str:
    values, points = result.components.as_dict(), component_points(result)
    weights = result.scenario.weights.normalised().as_dict()
    rows = [
        (
            esc(COMPONENT_LABELS[c] + (" (subtracted)" if c in SUBTRACTED else "")),
            f"{values[c]:.2f}",
            f"{weights[c]:.2f}",
            f"{points[c]:+.1f}",
        )
        for c in COMPONENTS
    ]
    return _table(["component", "value (0–1)", "weight", "points"], rows, numeric=(1, 2, 3))


def _who_table(ds: Dataset, result: Score) -> str:
    ranked = sorted(result.contributions.items(), key=lambda kv: -kv[1]["shapley"])
    rows = [
        (
            esc(f"{ds.actor(code).name} ({code})").replace(" ", "&nbsp;"),  # one line
            f"{c['shapley']:+.1f}",
            f"{c['change_if_left']:+.1f}",
        )
        for code, c in ranked
    ]
    return _table(
        ["member", "share of the score (Shapley)", f"{CHANGE_IF_LEFT} (without minus with)"],
        rows,
        numeric=(1, 2),
    )


def _score_line(result: Score) -> str:
    if result.cohesion is None:
        return f"<p class='score'>—</p><p>{esc(result.message)}</p>"
    iv = result.interval
    band = (
        f" <span class='muted'>90% interval {iv['p5']:.1f}–{iv['p95']:.1f}: the middle 90% of "
        "scores when the data's judgements are redrawn by their confidence</span>"
        if iv
        else ""
    )
    line = f"<p><span class='score'>{result.cohesion:.1f}</span> / 100{band}</p>"
    if result.versus_record is not None:
        line += (
            f"<p><b>What if:</b> with the changes below. On the record the same grouping "
            f"scores {result.record_cohesion:.1f}; the changes move it by "
            f"{result.versus_record:+.1f} points.</p>"
        )
    return line


def _changes_list(ds: Dataset, s: Scenario) -> str:
    """The what-if changes as sentences ('' for the record)."""
    if not s.what_if:
        return ""
    items = "".join(f"<li>{esc(edit_sentence(ds, e))}</li>" for e in s.what_if)
    return (
        "<h2>What if: the changes to the record</h2>"
        "<p class='muted'>Hypothetical: these changes are not in the record. They hold from "
        f"{s.year} unless they name another year.</p><ol>{items}</ol>"
    )


def _members_line(ds: Dataset, members: Sequence[str]) -> str:
    return esc(", ".join(f"{ds.actor(c).name} ({c})" for c in members)) or "none"


def _footer(ds: Dataset, generated: str, custom: bool) -> str:
    data = "a custom dataset uploaded in the session" if custom else "the built-in dataset"
    return (
        f"<p class='muted'>Made on {esc(generated)} from {data} (fingerprint "
        f"{esc(ds.fingerprint[:12])}) by the alliance cohesion dashboard. Cohesion is 0–100: "
        "ties, connectivity, lattice and shared threat add; friction and sensitivity subtract. "
        "The method page explains each part.</p>"
    )


# --------------------------------------------------------------------------- the briefs


def scenario_brief(
    ds: Dataset,
    result: Score,
    *,
    title: str,
    link: str,
    network: str,
    rows: Sequence[RowEffect],
    generated: str,
    custom: bool = False,
    yardstick: Sequence[tuple[str, float]] = (),
    extra_sources: Sequence[str] = (),
) -> str:
    """The build page's brief (module docstring). ``network`` is :func:`network_svg`'s
    output; ``rows`` the provenance of the score, largest effect first; ``yardstick`` the
    well-known groupings' scores in the same framing and year."""
    s = result.scenario
    body = [
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(s.framing.capitalize())} framing, {s.year}. Members: "
        f"{_members_line(ds, s.members)}.</p>",
        f"<p class='muted'>Link: {_link(link)}</p>",
        _changes_list(ds, s),
        "<h2>Cohesion</h2>",
        _score_line(result),
    ]
    if result.cohesion is not None:
        if result.hub:
            body.append(f"<p>Hub: {esc(ds.actor(result.hub).name)} ({esc(result.hub)}).")
        who, value = result.veto_risk
        body.append(
            f" Most uneasy member (veto risk): {esc(ds.actor(who).name)} ({value:.2f}).</p>"
            if value > 0
            else " No member is uneasy with this grouping under this framing.</p>"
        )
        body += [
            "<div class='cols'><div>",
            "<h2>What makes the score</h2>",
            _components_table(result),
            "</div><div>",
            "<h2>Who holds it together, who pulls it apart</h2>",
            _who_table(ds, result),
            "</div></div>",
            "<h2>Why</h2>",
            "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in result.explanation) + "</ul>",
        ]
        if yardstick:
            body.append(_yardstick(result, yardstick))
    body += [
        "<h2>The network</h2>",
        network,
        "<h2>What the score rests on most</h2>",
        _rows_section(ds, rows[:MAIN_ROWS], s.what_if, more=len(rows) - MAIN_ROWS),
        _footer(ds, generated, custom),
        _appendix(
            [
                ("Every row the score rests on", _rows_section(ds, rows, s.what_if)),
                ("Sources", _sources_section(ds, _cited(rows, extra_sources))),
            ]
        ),
    ]
    return _page(title, "\n".join(body))


@dataclass(frozen=True)
class SlotBrief:
    """One compare slot in a brief: its label, score, network and the rows it rests on."""

    label: str
    result: Score
    network: str
    rows: Sequence[RowEffect]
    beats_first: str = ""  # the odds against slot 1, as the page words them


def compare_brief(
    ds: Dataset,
    slots: Sequence[SlotBrief],
    *,
    title: str,
    link: str,
    why: Sequence[tuple[str, Sequence[str]]],
    generated: str,
    custom: bool = False,
    note: str = "",
) -> str:
    """The compare page's brief: the slots side by side, why they differ (``why``: a title
    and its sentences for each pair of slots; ``note``: what makes them unlike, such as
    different framings), each slot's network and the rows and sources behind every score."""
    year = slots[0].result.scenario.year if slots else ""
    head = ["measure"] + [f"{i + 1}. {s.label}" for i, s in enumerate(slots)]
    table: list[list[str]] = [
        ["framing"] + [esc(s.result.scenario.framing) for s in slots],
        ["members"] + [esc(", ".join(s.result.scenario.members)) for s in slots],
        ["what if"] + [esc(s.result.scenario.what_if_text) or "—" for s in slots],
        ["cohesion"]
        + [f"{s.result.cohesion:.1f}" if s.result.cohesion is not None else "—" for s in slots],
        ["90% interval"]
        + [
            f"{s.result.interval['p5']:.1f}–{s.result.interval['p95']:.1f}"
            if s.result.interval
            else "—"
            for s in slots
        ],
        ["against slot 1"] + [esc(s.beats_first) or "—" for s in slots],
    ]
    for c in COMPONENTS:
        table.append(
            [esc(COMPONENT_LABELS[c])]
            + [
                f"{s.result.components.as_dict()[c]:.2f}" if s.result.components else "—"
                for s in slots
            ]
        )
    body = [
        f"<h1>{esc(title)}</h1>",
        f"<p>{len(slots)} groupings compared in {esc(year)}.</p>",
        f"<p class='muted'>Link: {_link(link)}</p>",
        "<h2>Side by side</h2>",
        _table(head, table),
        "<h2>Why they differ</h2>",
        f"<p><b>{esc(note)}</b></p>" if note else "",
        "".join(
            f"<h3>{esc(title)}</h3><ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>"
            for title, lines in why
        )
        or "<p>Only one grouping, nothing to compare.</p>",
    ]
    for i, s in enumerate(slots):
        body += [
            f"<h2>{i + 1}. {esc(s.label)}</h2>",
            f"<p>Members: {_members_line(ds, s.result.scenario.members)}.</p>",
            _changes_list(ds, s.result.scenario).replace("<h2>", "<h3>").replace("</h2>", "</h3>"),
            _score_line(s.result),
            s.network,
        ]
        if s.result.cohesion is not None:
            body += ["<h3>Why</h3>", "<ul>"]
            body += [f"<li>{esc(line)}</li>" for line in s.result.explanation]
            body += ["</ul>"]
    keys = sorted({k for s in slots for k in _cited(s.rows)})
    rests = [
        (
            f"what slot {i + 1} ({s.label}) rests on",
            _rows_section(ds, s.rows, s.result.scenario.what_if),
        )
        for i, s in enumerate(slots)
        if s.result.cohesion is not None
    ]
    body += [
        _footer(ds, generated, custom),
        _appendix([*rests, ("Sources", _sources_section(ds, keys))]),
    ]
    return _page(title, "\n".join(body))


def _no_fetch(url: str, *args, **kwargs):
    """WeasyPrint's fetcher for the brief: data: images only (the brief embeds its one
    image); nothing is fetched from the network or the disk."""
    if not url.startswith("data:"):
        raise ValueError(f"the brief fetches nothing: {url[:60]}")
    from weasyprint.urls import default_url_fetcher

    return default_url_fetcher(url, *args, **kwargs)


def brief_pdf(page: str) -> bytes:
    """The brief ``page`` (HTML from :func:`scenario_brief` or :func:`compare_brief`) as an
    A4 PDF, laid out by WeasyPrint from the same HTML and its print CSS (``PDF_ENGINE``)."""
    from weasyprint import HTML  # imported on demand: a second to load, only for a PDF

    return HTML(string=page, url_fetcher=_no_fetch).write_pdf()
