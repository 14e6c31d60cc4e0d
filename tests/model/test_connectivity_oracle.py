"""Connectivity against an independent oracle: ``networkx.algebraic_connectivity``.

The connectivity component is the algebraic connectivity (the second-smallest eigenvalue
of the weighted Laplacian) of the members' graph, whose edge weights are the framed tie
strengths of the model's context, divided by the number of members. Whatever the model
does to turn rows into framed strengths, the public ``score`` must agree with networkx on
the graph those strengths make: on small hand-built graphs and on random small worlds.
"""

from __future__ import annotations

import networkx as nx
import pytest
from builders import dataset, tie
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from worlds import CODES, worlds

from model import Scenario, context, score
from model.schema import FRAMINGS

YEAR = 2024


def oracle(ds, members: tuple[str, ...], framing: str) -> float:
    """networkx's algebraic connectivity of the members' framed-tie graph, over k."""
    ties = context(ds, YEAR, framing).ties
    graph = nx.Graph()
    graph.add_nodes_from(members)
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            weight = float(ties[ds.index(a), ds.index(b)])
            if weight > 0:
                graph.add_edge(a, b, weight=weight)
    lam2 = nx.algebraic_connectivity(graph, weight="weight", method="tracemin_lu", tol=1e-12)
    return lam2 / len(members)


def connectivity(ds, members: tuple[str, ...], framing: str) -> float:
    return score(ds, Scenario(members, framing, YEAR)).components.connectivity


GRAPHS = {
    # name: (ties as (a, b, strength), members)
    "one pair": ([("AAA", "BBB", 0.6)], ("AAA", "BBB")),
    "path": ([("AAA", "BBB", 0.5), ("BBB", "CCC", 0.8)], ("AAA", "BBB", "CCC")),
    "triangle": (
        [("AAA", "BBB", 0.9), ("BBB", "CCC", 0.4), ("AAA", "CCC", 0.2)],
        ("AAA", "BBB", "CCC"),
    ),
    "star": (
        [("AAA", "BBB", 0.7), ("AAA", "CCC", 0.7), ("AAA", "DDD", 0.3)],
        ("AAA", "BBB", "CCC", "DDD"),
    ),
    "two camps, one bridge": (
        [("AAA", "BBB", 1.0), ("CCC", "DDD", 1.0), ("BBB", "CCC", 0.1)],
        ("AAA", "BBB", "CCC", "DDD"),
    ),
    "two camps, no bridge": (
        [("AAA", "BBB", 1.0), ("CCC", "DDD", 1.0)],
        ("AAA", "BBB", "CCC", "DDD"),
    ),
    "complete on five": (
        [(a, b, 0.5) for i, a in enumerate(CODES) for b in CODES[i + 1 :]],
        CODES,
    ),
}


class TestAgainstNetworkx:
    @pytest.mark.parametrize("framing", FRAMINGS)
    @pytest.mark.parametrize(("rows", "members"), GRAPHS.values(), ids=GRAPHS.keys())
    def test_hand_built_graphs(self, rows, members, framing):
        ds = dataset(codes=CODES, ties=[tie(a, b, s) for a, b, s in rows])
        assert connectivity(ds, members, framing) == pytest.approx(
            oracle(ds, members, framing), abs=1e-9
        )

    def test_a_bridge_is_weaker_than_a_web(self):
        bridged, complete = GRAPHS["two camps, one bridge"], GRAPHS["complete on five"]
        ds_bridge = dataset(codes=CODES, ties=[tie(a, b, s) for a, b, s in bridged[0]])
        ds_web = dataset(codes=CODES, ties=[tie(a, b, s) for a, b, s in complete[0]])
        assert oracle(ds_bridge, bridged[1], "alliance") < oracle(ds_web, complete[1], "alliance")

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        worlds("tie"),
        st.lists(st.sampled_from(CODES), min_size=2, max_size=len(CODES), unique=True),
        st.sampled_from(FRAMINGS),
    )
    def test_random_small_worlds(self, world, members, framing):
        ds = dataset(**world)
        members = tuple(sorted(members))
        assert connectivity(ds, members, framing) == pytest.approx(
            oracle(ds, members, framing), abs=1e-9
        )
