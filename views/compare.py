"""Compare: two to four scenarios side by side, and why they differ."""

import streamlit as st

from ui import cache, publish
from ui.build import share_link
from ui.build_state import build_link
from ui.chartview import gap_chart, network_chart, slots_chart
from ui.compare_explain import (
    DRAWS_VARY,
    TIE_SPREAD,
    differences,
    framing_note,
    odds_text,
    pair_difference,
    pair_table,
)
from ui.datastore import dataset_or_stop
from ui.downloads import compare_downloads
from ui.exports import compare_numbers, slots_name
from ui.network import SMALL
from ui.slots import ComparePage, slot_label
from ui.tables import member_table
from ui.text import plain

publish.arrive("compare")  # a short link (?s=ID): the published comparison on its own data
ds = dataset_or_stop()
page = ComparePage(ds)

st.title("Compare groupings")
st.caption(
    "Two to four options side by side in one year: their scores, why they differ, and how "
    "often one scores above another when the judgements and weights behind them are redrawn."
)
page.show_warnings()
page.editors()
slots, year = page.slots, page.state.year
scenarios = [s.scenario(year) for s in slots]
results = [cache.result(ds, s) for s in scenarios]
labels = [slot_label(ds, s) + (" (what if)" if s.what_if else "") for s in slots]
shares = [
    cache.beats(ds, s, scenarios[0], vary_weights=True) if i else None
    for i, s in enumerate(scenarios)
]
odds = [odds_text(share) for share in shares]
name = slots_name(ds, "compare", slots, year)

st.header(f"Cohesion in {year}")
cols = st.columns(len(slots))
for i, (col, r, label) in enumerate(zip(cols, results, labels, strict=True)):
    with col:
        head = f"{i + 1}. {plain(label)} · {slots[i].framing}"
        if r.cohesion is None:
            st.metric(head, "—")
            st.caption(r.message)
            continue
        base = results[0].cohesion
        delta = None if i == 0 or base is None else f"{r.cohesion - base:+.1f} vs slot 1"
        st.metric(head, f"{r.cohesion:.1f}", delta=delta)
        iv = r.interval
        lines = [f"90% interval {iv['p5']:.1f}–{iv['p95']:.1f}"]
        if odds[i]:
            lines.append(odds[i])
        st.caption(" · ".join(lines))
        if r.isolated:
            st.caption(plain(r.message))
        st.page_link(
            "views/build.py",
            label="Open in Build",
            icon=":material/open_in_new:",
            query_params=build_link(slots[i].members, slots[i].framing, year, slots[i].what_if),
        )
if len(slots) > 1:
    st.caption(DRAWS_VARY)

why = [(title, d.sentences) for title, d in differences(ds, results)]
note = framing_note(labels, results)
if note:
    st.info(plain(note), icon=":material/balance:")
if len(slots) > 1:
    st.header("Why they differ")
    base, other = page.pair_picker()
    if results[base].cohesion is None or results[other].cohesion is None:
        st.caption("One of the two slots has no score, so there is no gap to explain.")
    else:
        d = pair_difference(ds, results, base, other)
        text, right_side = st.columns([2, 3], gap="medium")
        with text:
            st.markdown(f"**Slot {other + 1} against slot {base + 1}**")
            st.markdown("\n".join(f"- {plain(line)}" for line in d.sentences))
        with right_side:
            gap_chart(ds, results, base, other, d, f"{name}-slot-{other + 1}-vs-slot-{base + 1}")

st.header("Components")
st.caption(
    "Each component's value from 0 to 1; ties, connectivity, lattice and shared threat add "
    "to cohesion, friction and sensitivity subtract."
)
slots_chart(ds, results, labels, year, f"{name}-components")

st.header("Networks")
net_cols = st.columns(min(len(slots), 2))
for i, scenario in enumerate(scenarios):
    with net_cols[i % len(net_cols)]:
        st.markdown(f"**{i + 1}. {plain(labels[i])}**")
        fig = cache.network(
            ds, scenario, "map", scale=SMALL, height=round(560 * SMALL), legend=False
        )
        network_chart(
            ds,
            results[i],
            fig,
            f"{name}-slot-{i + 1}-network",
            key=f"cmp_net_{i}",
            table=f"table:cmp_net_{i}",
        )

left, right = st.columns(2, gap="medium")
with left:
    st.header("Who is in which")
    st.dataframe(member_table(ds, slots, labels), hide_index=True)
with right:
    st.header("Pairs that differ most")
    st.caption(
        "Each slot's tie between the two (0–1, weighted by its framing; blank where the slot "
        f"does not hold the pair), ranked by the {TIE_SPREAD}: a slot without the pair counts "
        "0, and a pair with the same tie in every slot comes last."
    )
    st.dataframe(pair_table(ds, results), hide_index=True)

link = page.write_url()
publish.publish_form("compare", ds, scenarios)
st.markdown("**Take it with you**")
compare_downloads(
    ds,
    slots,
    results,
    labels,
    odds,
    why,
    share_link(link),
    lambda: compare_numbers(results, labels, shares),  # made when its button is pressed
    note,
)
