"""Shared fixtures for the page tests."""

from __future__ import annotations

import functools

import pytest
import streamlit.components.v2.manifest_scanner as manifest_scanner


@pytest.fixture(autouse=True, scope="session")
def scan_components_once():
    """Each new AppTest rescans every installed package for v2 component manifests
    (about 0.3 s); the installed packages do not change during the tests, so scan once."""
    original = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(original)
    yield
    manifest_scanner.scan_component_manifests = original
