"""The cohesion model: pure Python over numpy, no Streamlit or plotly.

>>> from model import load_dataset, scenario, score
>>> ds = load_dataset()
>>> round(score(ds, scenario(ds, "quad")).cohesion, 1) >= 0
True
"""

from model.cohesion import COMPONENTS, DOMAIN_WEIGHTS, Components, Weights, context
from model.data import Dataset, DatasetError, default_data_dir, load_dataset, parse_tables
from model.scenario import Scenario, ScenarioError, parse_members, scenario
from model.score import Comparison, Score, compare, score
from model.search import SearchQuery, SearchResult, best_groupings, find_groupings
from model.uncertainty import beats_share, interval, simulate

__all__ = [
    "COMPONENTS",
    "DOMAIN_WEIGHTS",
    "Comparison",
    "Components",
    "Dataset",
    "DatasetError",
    "Scenario",
    "ScenarioError",
    "Score",
    "SearchQuery",
    "SearchResult",
    "Weights",
    "beats_share",
    "best_groupings",
    "compare",
    "context",
    "default_data_dir",
    "find_groupings",
    "interval",
    "load_dataset",
    "parse_members",
    "parse_tables",
    "scenario",
    "score",
    "simulate",
]
