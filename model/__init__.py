"""The cohesion model: pure Python over numpy, no Streamlit or plotly.

>>> from model import load_dataset, scenario, score
>>> ds = load_dataset()
>>> quad = score(ds, scenario(ds, "quad"))
>>> quad.scenario.members, quad.scenario.framing
(('AUS', 'IND', 'JPN', 'USA'), 'dialogue')
>>> score(ds, scenario(ds, "USA,JPN,AUS,IND", "dialogue")).cohesion == quad.cohesion
True
>>> quad_2024 = scenario(ds, "quad", year=2024)
>>> without_unease = scenario(ds, "quad", year=2024, what_if="-sens:IND")  # India's is gone
>>> score(ds, without_unease).cohesion > score(ds, quad_2024).cohesion
True
"""

from model.cohesion import COMPONENTS, DOMAIN_WEIGHTS, Components, Weights, context
from model.data import Dataset, DatasetError, default_data_dir, load_dataset, parse_tables
from model.levers import Lever, levers
from model.provenance import RowEffect, provenance
from model.scenario import (
    Scenario,
    ScenarioError,
    context_of,
    dataset_for,
    parse_members,
    resolve,
    scenario,
)
from model.score import Comparison, Score, beats, compare, score
from model.search import SearchQuery, SearchResult, best_groupings, find_groupings
from model.uncertainty import beats_share, interval, simulate
from model.whatif import Edit, WhatIfError
from model.whatif import canonical as canonical_what_if
from model.whatif import parse as parse_what_if

__all__ = [
    "COMPONENTS",
    "DOMAIN_WEIGHTS",
    "Comparison",
    "Components",
    "Dataset",
    "DatasetError",
    "Edit",
    "Lever",
    "RowEffect",
    "Scenario",
    "ScenarioError",
    "Score",
    "SearchQuery",
    "SearchResult",
    "Weights",
    "WhatIfError",
    "beats",
    "beats_share",
    "best_groupings",
    "canonical_what_if",
    "compare",
    "context",
    "context_of",
    "dataset_for",
    "default_data_dir",
    "find_groupings",
    "interval",
    "levers",
    "load_dataset",
    "parse_members",
    "parse_tables",
    "parse_what_if",
    "provenance",
    "resolve",
    "scenario",
    "score",
    "simulate",
]
