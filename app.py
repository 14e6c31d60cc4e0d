"""Entry point: page config and navigation over the files in pages/."""

import streamlit as st

st.set_page_config(
    page_title="Alliance cohesion",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page("pages/build.py", title="Build a grouping", icon=":material/hub:", default=True),
]

st.navigation(PAGES).run()
