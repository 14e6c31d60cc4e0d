"""Timeline: cohesion of chosen scenarios by year, with the dated events marked."""

import streamlit as st

from ui import cache
from ui.chartview import timeline_chart
from ui.datastore import dataset_or_stop
from ui.downloads import csv_button
from ui.exports import slots_name, timeline_numbers
from ui.slots import TimelinePage, slot_label
from ui.text import plain, plain_frame
from ui.timeline import VISIBLE_EFFECT, changes_table, no_score_note

ds = dataset_or_stop()
page = TimelinePage(ds)

st.title("Cohesion over time")
st.caption(
    "How each grouping's cohesion changed year by year, with a 90% band. Dots mark the years "
    "in which a dated tie, friction, sensitivity or threat view touching the members began "
    f"or ended and moved the score by {VISIBLE_EFFECT:g} point or more; the largest are named "
    "on the chart. Hover a dot for the events, their effects and their sources. A slot with "
    "what-if changes adds a dotted line beside its record; its changes hold from the first "
    "year shown unless they name another year."
)
page.show_warnings()
first = page.start_control()
page.editors()
slots = page.slots
labels = [slot_label(ds, s) for s in slots]
scenarios = [s.scenario(first) for s in slots]  # edits hold from the first year shown
series = cache.timeline_series(ds, scenarios, ds.latest_year)
name = slots_name(ds, "timeline", slots, f"from-{first}")
timeline_chart(ds, labels, scenarios, series, name)
csv_button(st, "The series (CSV)", lambda: timeline_numbers(labels, series), name, "tl_csv")

if note := no_score_note(labels, series):
    st.caption(plain(note))

st.header("The biggest year-on-year changes")
st.caption(
    "Each event's effect is the score that year minus the score with that event undone; "
    "the effects of one year need not add up to its change."
)
changes = cache.timeline_changes(ds, scenarios, ds.latest_year)
# st.table reads cells as markdown: the slot names come from the data
st.table(plain_frame(changes_table(labels, changes)), hide_index=True, border="horizontal")
page.write_url()
