"""Timeline: cohesion of chosen scenarios by year, with the dated events marked."""

import streamlit as st

from ui import cache
from ui.slots import SlotsPage, slot_label
from ui.text import plain
from ui.timeline import changes_table, series_for, timeline_figure

ds = cache.dataset_or_stop()
page = SlotsPage(ds, "tl", extra=("start",))

st.title("Cohesion over time")
st.caption(
    "How each grouping's cohesion changed year by year, with a 90% band. Dots mark years "
    "in which a dated tie, friction, sensitivity or threat view touching the members began "
    "or ended: hover them for the events and their sources."
)
start, warnings = cache.start_year(ds, page.extra_param("start"))
if page.warnings or warnings:
    st.warning(
        "Parts of this link were ignored: " + plain("; ".join(page.warnings + warnings)) + "."
    )
first = st.slider("From", ds.earliest_year, ds.latest_year - 1, value=start, key="tl_start")
page.set_extra("start", None if first == cache.DEFAULT_START else str(first))
page.editors(year=False)
slots = page.slots
labels = [slot_label(ds, s) for s in slots]
series = series_for(ds, slots, first, ds.latest_year)
st.plotly_chart(timeline_figure(ds, labels, series), config={"displayModeBar": False})

st.subheader("The biggest year-on-year changes")
st.dataframe(changes_table(ds, slots, labels, series), hide_index=True)
page.write_url(year=False)
