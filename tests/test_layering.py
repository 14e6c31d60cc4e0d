"""The layers and their rules (docs/architecture.md, "Where each job lives"), read from the
source.

views/ -> ui/ -> model/: a page imports only ui/ (and Streamlit and the standard library),
ui/ never imports a page, model/ never imports Streamlit or plotly. Every module says what
it exports in ``__all__``, and a name one layer takes from another is in that list.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL_TESTS = ROOT / "tests" / "model"
PACKAGES = ("model", "ui")


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.py"))


def imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Each import in a file: (module, the names taken from it)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("path", modules("views"), ids=lambda p: p.name)
def test_a_page_imports_only_ui_streamlit_and_the_standard_library(path):
    allowed = {"ui", "streamlit", "__future__", *sys.stdlib_module_names}
    assert [m for m, _ in imports(path) if top(m) not in allowed] == []


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: p.name)
def test_ui_never_imports_a_page(path):
    assert [m for m, _ in imports(path) if top(m) == "views"] == []


def test_model_does_not_import_streamlit_or_plotly():
    code = (
        "import sys, model, model.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_model_and_its_tests_import_with_streamlit_and_plotly_unimportable():
    """Every module of model/, and every file of tests/model with the helpers and the
    conftest.py it takes from tests/, imports where Streamlit and plotly cannot (.ci/run
    also runs those tests in a clean virtual environment without them)."""
    files = [ROOT / "tests" / "conftest.py", *sorted(MODEL_TESTS.glob("*.py"))]
    code = textwrap.dedent(
        f"""
        import importlib, importlib.util, pkgutil, sys
        sys.modules["streamlit"] = sys.modules["plotly"] = None  # importing either fails
        sys.path[:0] = [{str(MODEL_TESTS)!r}, {str(ROOT / "tests")!r}]
        import model
        for found in pkgutil.iter_modules(model.__path__):
            if found.name != "__main__":  # it runs the command line
                importlib.import_module(f"model.{{found.name}}")
        for n, path in enumerate({[str(f) for f in files]!r}):
            spec = importlib.util.spec_from_file_location(f"checked_{{n}}", path)
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
        print("imported")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["imported"]
    assert len(files) > 2  # the conftest.py files and at least one test


def test_the_build_page_runs_without_loading_pandas():
    """A fresh server's first visitor waits for every module the build page imports:
    pandas (0.4 s of it) loads only when a table is made, which the build page does not
    do until one is opened (docs/performance.md, issue 19's third pass)."""
    code = textwrap.dedent(
        f"""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=60)
        at.query_params["members"] = "AUS,JPN,USA"
        at.run()
        assert not at.exception, at.exception
        assert at.metric[0].value not in ("", "—")  # the page scored the grouping
        print("pandas" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False"]


def test_there_is_no_pages_folder():
    """With a pages/ folder, the first session on a fresh server runs Streamlit's file-based
    multipage mode instead of app.py (no page config, raw file names in the sidebar) until
    someone opens /. A browser test on a warm server cannot see that; this can."""
    assert not (ROOT / "pages").exists()


EXPORTERS = [
    "model",  # the package's own API (ui/ is a folder of modules, with none)
    *(f"{package}.{p.stem}" for package in PACKAGES for p in modules(package)),
]
EXPORTERS = [e for e in EXPORTERS if not e.endswith(("__init__", "__main__"))]


@pytest.mark.parametrize("name", EXPORTERS)
def test_all_lists_public_names_the_module_has(name):
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert [n for n in exported if n.startswith("_") or not hasattr(module, n)] == []


def test_pages_and_ui_take_only_exported_names():
    """A page takes from ui/, and ui/ from ui/ and model/, only what a module lists in
    __all__ (``from ui import cache`` takes a module, not a name)."""
    missing = []
    for folder in ("views", "ui"):
        for path in modules(folder):
            for module, names in imports(path):
                if top(module) not in PACKAGES or module == "ui":
                    continue
                exported = importlib.import_module(module).__all__
                missing += [f"{path.name}: {module}.{n}" for n in names if n not in exported]
    assert missing == []


# --------------------------------------------------------------------------- caches


def source(folder: str, skip: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in modules(folder) if p.name != skip}


@pytest.mark.parametrize("marker", ["st.cache_data", "st.cache_resource", "lru_cache", "cache("])
def test_every_streamlit_side_cache_is_in_ui_cache(marker):
    assert [name for name, text in source("ui", "cache.py").items() if marker in text] == []


@pytest.mark.parametrize("marker", [r"\blru_cache\b", r"@(functools\.)?cache$"])
def test_the_model_memoises_only_through_memo(marker):
    """(``cached_property`` keeps a value on its own record: nothing to reset.)"""
    found = [n for n, text in source("model", "memo.py").items() if re.search(marker, text, re.M)]
    assert found == []


# --------------------------------------------------------------------------- the README


def layout_table() -> dict[str, str]:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("## 2a. Where each job lives", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| `")]
    return {cells[0].strip().strip("`"): "|".join(cells[1:]) for cells in rows}


def test_the_layout_table_names_paths_that_exist():
    assert [path for path in layout_table() if not (ROOT / path).exists()] == []


@pytest.mark.parametrize(
    "helper", ["apptest", "builders", "strategies", "linkcontract", "e2e/browsing"]
)
def test_the_layout_table_names_the_test_helpers(helper):
    assert f"`{helper}.py`" in layout_table()["tests/"]
    assert (ROOT / "tests" / f"{helper}.py").exists()
