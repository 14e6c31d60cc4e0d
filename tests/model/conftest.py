"""The model's fixtures: the built-in dataset, and empty caches.

These tests exercise model/ (and its command line) alone and import nothing from ui/,
Streamlit or plotly, so they run where neither is installed (.ci/run checks it in a
clean virtual environment). Their helpers are imported by name: cli.py and worlds.py
from this folder, builders.py from tests/ (the parent conftest.py puts it on the path).
"""

from __future__ import annotations

import pytest

from model import load_dataset
from model.memo import clear_caches


@pytest.fixture(scope="session")
def builtin():
    """The built-in dataset (loaded once: records are immutable)."""
    return load_dataset()


@pytest.fixture
def fresh_caches():
    """Every model cache (model/memo.py) empty before the test and after it."""
    clear_caches()
    yield
    clear_caches()
