"""Build: toggle members, see the network and the score, share the link."""

import streamlit as st

from ui import cache, publish
from ui.build import SHARE, BuildPage, share_link
from ui.chartview import breakdown_chart, contributions_chart, network_chart, yardstick_chart
from ui.datastore import dataset_or_stop
from ui.downloads import build_downloads
from ui.exports import scenario_name
from ui.plainwords import (
    additions_heading,
    explanation_items,
    yardstick_sentence,
)
from ui.provenance_view import rests_on
from ui.text import plain
from ui.touch import taps_select_points
from ui.whatif_editor import WhatIfEditor

publish.arrive("build")  # a short link (?s=ID): the published scenario on its own data
ds = dataset_or_stop()
page = BuildPage(ds)
page.controls()
state = page.state
what_if = WhatIfEditor(page)
scenario = state.scenario()
result = cache.result(ds, scenario)
name = scenario_name(ds, scenario)

st.title("How cohesive would this grouping be?")
st.caption(
    "Pick countries and a framing; the score (0–100) comes from their dated, sourced ties, "
    "frictions, shared threats and sensitivities. Hover the network for the sources."
)
page.show_warnings()
what_if.banner()

m1, m2, m3, m4 = st.columns(4)
if result.cohesion is None:
    m1.metric("Cohesion", "—")
    st.info(result.message)
else:
    iv = result.interval
    m1.metric(
        "Cohesion",
        f"{result.cohesion:.1f}",
        delta=what_if.delta(result),
        help="0–100. See the breakdown for how each component adds or subtracts.",
    )
    m2.metric(
        "90% interval",
        f"{iv['p5']:.1f} – {iv['p95']:.1f}",
        help="The middle 90% of scores when every strength, severity and threat level is "
        "redrawn within its stated confidence (1,000 draws; Monte Carlo).",
    )
    m3.metric(
        "Hub",
        result.hub or "none",
        help=(
            f"{plain(ds.actor(result.hub).name)}: the member that holds the largest share of "
            f"the grouping's ties, weighted by pillars; degree centralisation "
            f"{result.centralisation:.2f}."
            if result.hub
            else "With two members there is no hub: each holds the one tie equally."
        ),
    )
    actor, value = result.veto_risk
    m4.metric(
        "Veto risk",
        f"{actor} {value:.2f}" if value > 0 else "none",
        help="The member most uneasy with this grouping under this framing.",
    )
    if result.isolated:
        st.warning(plain(result.message))

net, why = st.columns([3, 2], gap="medium")
with net:
    layout = page.layout_control()
    taps_select_points()
    fig = cache.network(ds, scenario, layout)
    network_chart(
        ds,
        result,
        fig,
        f"{name}-network",
        key=page.NETWORK_KEY,
        on_select=page.on_network_select,
    )
with why:
    if result.cohesion is not None:
        st.header("Why this score")
        breakdown_chart(ds, result, f"{name}-breakdown")
        for line, terms in explanation_items(result):
            st.markdown(plain(line), help=terms)

if result.cohesion is not None:
    hold, add = st.columns([3, 2], gap="medium")
    with hold:
        st.header("Who holds it together, who pulls it apart")
        ranked = sorted(result.contributions.items(), key=lambda kv: -kv[1]["shapley"])
        top, bottom = ranked[0], ranked[-1]
        st.caption(
            "Each bar is a member's share of the score: what it adds on average over every "
            "order in which the members could have joined (its Shapley value). "
            f"{plain(ds.actor(top[0]).name)} adds the most ({top[1]['shapley']:+.1f} points), "
            f"{plain(ds.actor(bottom[0]).name)} the least ({bottom[1]['shapley']:+.1f}). "
            "Hover a bar for how the score would change if that member left."
        )
        contributions_chart(ds, result, f"{name}-contributions")
    with add:
        title, note = additions_heading(result.best_additions)
        st.header(title)
        st.caption(note)
        for code, delta in result.best_additions[:6]:
            st.button(
                f"Add {plain(ds.actor(code).name)} ({delta:+.1f})",
                key=f"add_{code}",
                on_click=page.add_member,
                args=(code,),
                width="stretch",
            )

    scores = cache.yardstick(ds, scenario)
    if scores:
        st.header("Against well-known groupings")
        st.caption(plain(yardstick_sentence(ds, result, scores)))
        yardstick_chart(ds, result, scores, f"{name}-yardstick")

st.divider()
st.header("What if…")
st.caption(
    "Hypothetical changes to the record, applied in order from the scenario's year (or the "
    "year you pick). They travel with the link, and the network marks them."
)
edit, move = st.columns([3, 2], gap="medium")
with edit:
    what_if.listing()
    what_if.form()
with move:
    what_if.levers(result.cohesion)
if result.cohesion is not None:
    rests_on(ds, scenario)

params = page.write_url()
st.divider()
link, to_compare = st.columns([4, 1], vertical_alignment="bottom")
with link:
    # A text box, not st.code: a code block makes a fresh browser load a 1.5 MB syntax
    # highlighter. Click into it and copy; an edit is undone at the next click.
    st.session_state[SHARE] = share_link(params)
    st.text_input("**Share this scenario** · the address bar always holds this link", key=SHARE)
with to_compare:
    if st.button(
        "Compare with…",
        icon=":material/compare_arrows:",
        width="stretch",
        help="Open this scenario as slot 1 of the compare page.",
    ):
        st.switch_page("views/compare.py", query_params=page.compare_link())
    if state.what_if and st.button(
        "Compare with the record",
        icon=":material/difference:",
        width="stretch",
        wrap=True,
        help="Open the compare page with the record as slot 1 and this what-if as slot 2.",
    ):
        st.switch_page("views/compare.py", query_params=page.record_link())
publish.publish_form("build", ds, [scenario])
st.markdown("**Take it with you**")
build_downloads(ds, result, layout, share_link(params))
