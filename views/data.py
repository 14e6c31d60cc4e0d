"""Data: every table with its sources; edit, upload, download, reset."""

import streamlit as st

from model.schema import FILES
from ui import cache
from ui.datapage import browse, editor, toolbar, uploader

ds = cache.dataset_or_stop()
st.title("The data behind the scores")
st.caption(
    "Every tie, friction, sensitivity and threat view is a dated public event or statement "
    "with a source; strengths and severities are judgements explained in each row's note. "
    "Disagree? Edit a table or upload your own: it is used on every page of this session "
    "until you reset it or reload the browser tab."
)
toolbar(ds)
uploader()
for tab, name in zip(st.tabs([f.removesuffix(".csv") for f in FILES]), FILES, strict=True):
    with tab:
        if st.toggle("Edit this table", key=f"data_editing_{name}"):
            editor(name)
        else:
            browse(ds, name)
