"""Finder: which grouping would hold together best?"""

import streamlit as st

from ui.chartview import finder_chart
from ui.datastore import dataset_or_stop
from ui.downloads import csv_button
from ui.exports import finder_numbers
from ui.finder import FinderPage, how_searched, shared_members
from ui.style import actor_label
from ui.text import plain

ds = dataset_or_stop()
page = FinderPage(ds)

st.title("Which grouping would hold together best?")
st.caption(
    "Set the size, who must be in and who must not; every grouping that fits is scored "
    "with the same model as the build page, and the most cohesive come first."
)
page.show_warnings()
page.controls()
page.write_url()
query, total, problem = page.query()
if problem:
    st.error(plain(problem) + ".", icon=":material/block:")
    st.stop()

timed = page.search(query, total)
found = timed.result
groups = [f.members for f in found.results]

best = found.results[0]
m1, m2 = st.columns([1, 3], vertical_alignment="center")
m1.metric(
    "Best cohesion",
    f"{best.cohesion:.1f}",
    help="0–100, default weights; open it in Build for its interval and reasons.",
)
m2.markdown("**" + plain(", ".join(ds.actor(c).name for c in best.members)) + "**")
m2.caption(plain(how_searched(found, timed.seconds, query.method)))

left, right = st.columns([3, 2], gap="large")
with left:
    st.header(f"Top {len(found.results)}")
    for i, f in enumerate(found.results):
        a, b, c, d = st.columns([0.5, 5, 1.3, 1.3], vertical_alignment="center")
        a.markdown(f"**{i + 1}**")
        b.markdown(
            f"**{f.cohesion:.1f}** · " + plain(", ".join(f.members)),
            help=plain(", ".join(ds.actor(m).name for m in f.members)),
        )
        c.page_link(
            "views/build.py",
            label="Build",
            icon=":material/hub:",
            query_params=page.build_link(f.members),
        )
        if i == 0:
            d.page_link(
                "views/compare.py",
                label="Top 4",
                icon=":material/compare_arrows:",
                query_params=page.compare_link(groups),
            )
        else:
            d.page_link(
                "views/compare.py",
                label="vs #1",
                icon=":material/compare_arrows:",
                query_params=page.compare_link([groups[0], f.members]),
            )
    st.header("Members they share")
    n = len(groups)
    rows = [
        {"Member": actor_label(c, ds.actor(c).name), "In results": k}
        for c, k in shared_members(groups)
    ]
    st.dataframe(
        rows,
        hide_index=True,
        column_config={
            "In results": st.column_config.ProgressColumn(
                "In results", min_value=0, max_value=n, format=f"%d of {n}"
            ),
        },
    )
with right:
    st.header("What makes each score")
    st.caption(
        "Weighted components in points of cohesion: ties, connectivity, lattice and "
        "shared threat add; friction and sensitivity subtract."
    )
    name = page.file_name()
    s = page.state
    size = str(s.size_min) if s.size_min == s.size_max else f"{s.size_min}–{s.size_max}"
    head = f"Finder: best groupings of {size} · {s.framing} · {s.year}"
    finder_chart(found, head, f"{name}-components")
    csv_button(st, "Results (CSV)", lambda: finder_numbers(found), f"{name}-results", "finder_csv")
