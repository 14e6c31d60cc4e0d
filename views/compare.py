"""Compare: two to four scenarios side by side."""

import streamlit as st

from ui import cache
from ui.build_state import build_link
from ui.charts import components_by_slot
from ui.datastore import dataset_or_stop
from ui.network import network_figure
from ui.slots import ComparePage, slot_label
from ui.tables import member_table, pair_differences
from ui.text import plain

ds = dataset_or_stop()
page = ComparePage(ds)

st.title("Compare groupings")
st.caption(
    "Two to four options side by side in one year: their scores, what drives them, and how "
    "often one beats another when the judgements behind them are redrawn."
)
page.show_warnings()
page.editors()
slots, year = page.slots, page.state.year
scenarios = [s.scenario(year) for s in slots]
results = [cache.scenario_score(ds, s) for s in scenarios]
labels = [slot_label(ds, s) for s in slots]

st.subheader(f"Cohesion in {year}")
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
        share = cache.beats(ds, scenarios[i], scenarios[0]) if i else None
        if share is not None:
            lines.append(f"beats slot 1 in {100 * share:.0f}% of 1,000 draws")
        st.caption(" · ".join(lines))
        if r.isolated:
            st.caption(plain(r.message))
        st.page_link(
            "views/build.py",
            label="Open in Build",
            icon=":material/open_in_new:",
            query_params=build_link(slots[i].members, slots[i].framing, year),
        )

st.subheader("Components")
st.plotly_chart(components_by_slot(results, labels), config={"displayModeBar": False})

st.subheader("Networks")
pos = cache.layout(ds, "map")
net_cols = st.columns(min(len(slots), 2))
for i, slot in enumerate(slots):
    with net_cols[i % len(net_cols)]:
        st.markdown(f"**{i + 1}. {plain(labels[i])}**")
        fig = network_figure(cache.context(ds, year, slot.framing), slot.members, pos, height=340)
        fig.update_layout(showlegend=False)
        st.plotly_chart(fig, key=f"cmp_net_{i}", config={"displayModeBar": False})

left, right = st.columns(2, gap="medium")
with left:
    st.subheader("Who is in which")
    st.dataframe(member_table(ds, slots, labels), hide_index=True)
with right:
    st.subheader("Pairs that differ most")
    st.caption("Framed tie strength of each member pair; blank where a slot lacks the pair.")
    st.dataframe(pair_differences(ds, slots, year), hide_index=True)

page.write_url()
