"""Entry point: page config and navigation over the page files in views/.

The pages live in views/, not pages/: with a pages/ folder, the first session on a fresh
server runs Streamlit's file-based multipage mode instead of this file (no page config,
raw file names in the sidebar) until someone opens /; "Page not found" shows only when a
link's path differs from a file name. tests/test_layering.py checks there is no pages/.
"""

import streamlit as st

from ui.urlsync import page_started

st.set_page_config(
    page_title="Alliance cohesion",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on narrow screens (phones), open on wide ones
)

PAGES = [
    st.Page("views/build.py", title="Build a grouping", icon=":material/hub:", default=True),
    st.Page(
        "views/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"
    ),
    st.Page("views/finder.py", title="Finder", icon=":material/travel_explore:", url_path="finder"),
    st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("views/data.py", title="Data", icon=":material/table:", url_path="data"),
    st.Page("views/method.py", title="Method", icon=":material/menu_book:", url_path="method"),
]

page = st.navigation(PAGES)
page_started(page.url_path)  # a rerun of the same page ignores echoes of its own links
page.run()
