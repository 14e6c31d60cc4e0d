"""Data: every table with its sources; edit, upload, download, reset."""

import streamlit as st

from ui.datapage import tables, toolbar, uploader
from ui.datastore import dataset_or_stop

ds = dataset_or_stop()
st.title("The data behind the scores")
st.caption(
    "Every tie, friction, sensitivity and threat view is a dated public event or statement "
    "with a source; strengths and severities are judgements explained in each row's note. "
    "Disagree? Edit a table or upload your own: it is used on every page of this session "
    "until you reset it or reload the browser tab."
)
toolbar(ds)
uploader()
tables(ds)
