"""Publish and open a published scenario through the app (AppTest, docs/architecture.md
§10): Build and Compare publish a link, ``?s=ID`` opens the scenario on its own data with
its title and note shown as plain text, a bad ID warns once and opens the default, and a
store that cannot be reached says so while the page still works."""

from __future__ import annotations

import io
import re
import socket
import zipfile

import pytest
from apptest import COMPARE, DATA, address, link_warning, open_page, unescaped
from streamlit.testing.v1 import AppTest

from model import load_dataset, parse_tables, scenario, score
from model.export import read_dataset_files
from model.store import MAX_PER_HOUR, open_store
from ui.build_state import build_params
from ui.slots_state import Slot

DS = load_dataset()
FILES = read_dataset_files()
TITLE = "<script>window.__xss=1</script> <b>Bold</b> **not bold** [link](javascript:x) $x$"
NOTE = "First line: <img src=x onerror=alert(1)>\nSecond line: :red[not red] # not a heading"


@pytest.fixture
def store(monkeypatch, tmp_path):
    url = f"sqlite://{tmp_path / 'pages.db'}"
    monkeypatch.setenv("COHESION_STORE", url)
    return open_store(url)


def own_files() -> dict[str, bytes]:
    """The built-in data with the Quad's preset renamed and India's unease about an alliance
    gone: other data, another score."""
    presets = FILES["presets.csv"].decode().replace("The Quad", "Our Quad", 1)
    sens = FILES["sensitivities.csv"].decode().splitlines(keepends=True)
    kept = [line for line in sens if not line.startswith("IND,framing:")]
    assert len(kept) < len(sens)
    return {**FILES, "presets.csv": presets.encode(), "sensitivities.csv": "".join(kept).encode()}


def shown_cohesion(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Cohesion")


def with_form(at: AppTest) -> AppTest:
    """Open the publish section, as a reader clicks it (its fields are built only while
    it is open)."""
    closed = [e for e in at.expander if e.label.startswith("Publish ")]
    assert closed and not [b for b in at.button if b.label == "Publish"]
    for prefix in ("build", "cmp"):
        at.session_state[f"{prefix}_publish_open"] = True
    return at.run()


def publish_button(at: AppTest):
    """The form's Publish button, the section opened first if it is closed."""
    if not [b for b in at.button if b.label == "Publish"]:
        with_form(at)
    (button,) = [b for b in at.button if b.label == "Publish"]
    return button


def published_link(at: AppTest) -> str:
    assert [s.value for s in at.success], [e.value for e in at.error]
    return at.code[-1].value


def banner(at: AppTest) -> list[str]:
    """The published scenario's title and note as the reader sees them."""
    return [unescaped(m.value) for m in at.markdown if m.value.startswith("#### ")] + [
        unescaped(m.value).replace("  \n", "\n")  # a markdown line break
        for m in at.markdown
        if m.value.startswith("First line")
    ]


class TestPublishOnBuild:
    def test_publish_returns_a_short_link_to_the_scenario(self, store):
        at = with_form(open_page(members="USA,JPN,KOR", framing="alliance", year="2020"))
        at.text_input(key="build_publish_title").input("Trilateral in 2020")
        at.text_area(key="build_publish_note").input("Why it matters")
        publish_button(at).click().run()
        link = published_link(at)
        assert link.startswith("http://localhost:8501/?s=")
        pid = link.split("?s=")[1]
        assert len(pid) >= 10
        got = store.open(pid)
        assert (got.title, got.note, got.kind) == ("Trilateral in 2020", "Why it matters", "build")
        assert got.scenarios == (scenario(DS, "USA,JPN,KOR", "alliance", 2020),)
        assert got.fingerprint == DS.fingerprint

    def test_an_empty_title_becomes_the_scenarios_own(self, store):
        at = open_page(members="quad", year="2024", what_if="-sens:IND")
        publish_button(at).click().run()
        pid = published_link(at).split("?s=")[1]
        assert store.open(pid).title.startswith("What if: ")
        assert store.open(pid).scenarios[0].what_if_text == "-sens:IND"

    def test_the_data_in_use_is_what_is_published(self, store):
        at = open_page(members="quad", year="2024")
        at.session_state["custom_dataset"] = (own_files(), parse_tables(own_files()))
        at.run()
        publish_button(at).click().run()
        got = store.open(published_link(at).split("?s=")[1])
        assert got.files == own_files()

    def test_a_10_mb_note_never_reaches_the_store(self, store):
        """The widget refuses a value over its max_chars on the server (a browser cannot
        send one), so the note is empty; the store would refuse it too (test_store.py)."""
        at = with_form(open_page(members="quad"))
        at.text_area(key="build_publish_note").input("x" * 10_000_000)
        publish_button(at).click().run()
        assert store.open(published_link(at).split("?s=")[1]).note == ""

    def test_a_session_publishes_at_most_twenty_times_an_hour(self, store):
        at = open_page(members="quad")
        at.session_state["publish_publisher"] = "this-session"
        for _ in range(MAX_PER_HOUR):
            store.publish(FILES, "build", [scenario(DS, "quad")], publisher="this-session")
        publish_button(at).click().run()
        (error,) = [unescaped(e.value) for e in at.error]
        assert "the limit is 20 an hour" in error

    def test_publishing_twice_gives_two_links(self, store):
        at = open_page(members="quad")
        publish_button(at).click().run()
        first = published_link(at)
        publish_button(at).click().run()
        assert published_link(at) != first


class TestOpen:
    def test_a_short_link_opens_title_note_and_its_own_datas_score(self, store):
        s = scenario(parse_tables(own_files()), "quad", "alliance", 2024)
        pid = store.publish(own_files(), "build", [s], TITLE, NOTE)
        at = open_page(s=pid)
        assert banner(at) == [f"#### {TITLE}", NOTE]
        # Every piece of the text is escaped: no bare '<', '[' or ':' reaches the markdown.
        shown = [m.value for m in at.markdown if "script" in m.value or "First line" in m.value]
        assert len(shown) == 2
        assert not [m for m in shown if re.search(r"(?<!\\)[<\[:$*]", m.removeprefix("#### "))]
        expected = score(parse_tables(own_files()), s).cohesion
        assert shown_cohesion(at) == f"{expected:.1f}"
        assert expected != score(DS, scenario(DS, "quad", "alliance", 2024)).cohesion
        captions = " ".join(c.value for c in at.caption)
        assert "Published " in captions and "on its own data" in captions
        assert address(at) == {"s": pid}  # the link stays as it is
        assert not link_warning(at)

    def test_a_change_is_the_visitors_own_and_the_publication_stays(self, store):
        s = scenario(DS, "quad", "alliance", 2024, what_if="-sens:IND")
        pid = store.publish(FILES, "build", [s], "Kept", "as published")
        at = open_page(s=pid)
        at.segmented_control(key="build_framing").set_value("economic").run()
        assert address(at) == build_params(at.session_state["build_state"])
        assert address(at)["framing"] == "economic"
        assert "Changed from the published scenario" in " ".join(c.value for c in at.caption)
        got = store.open(pid)
        assert (got.title, got.scenarios) == ("Kept", (s,))
        # Back to what was published: the short link again.
        at.segmented_control(key="build_framing").set_value("alliance").run()
        assert address(at) == {"s": pid}

    def test_the_data_page_shows_and_downloads_the_published_data(self, store):
        pid = store.publish(own_files(), "build", [scenario(DS, "quad", year=2024)], "Ours")
        at = open_page(s=pid)
        at.switch_page(DATA)
        at.run()
        assert not at.exception
        assert "runs on a published scenario's data" in at.info[0].value
        _, raw = first_zip(at)
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            assert b"Our Quad" in z.read("presets.csv")

    @pytest.mark.parametrize(
        "bad",
        ["../../etc", "' OR 1=1 --", "A" * 10_000, "ÜnïcödéÜnïcödé", "AAAAAAAAAAAAAAAA", ""],
        ids=["traversal", "sql", "long", "non-ascii", "unknown", "empty"],
    )
    def test_a_bad_id_opens_the_default_with_one_warning(self, store, bad):
        at = open_page(s=bad)
        warning = link_warning(at)
        assert warning.startswith("Parts of this link were ignored: no published scenario")
        assert len(warning) < 200
        assert at.session_state["build_state"].members == DS.presets["quad"].members
        assert "s" not in address(at)
        assert not at.error

    def test_a_comparison_opens_on_the_compare_page_even_from_build(self, store):
        slots = [scenario(DS, "quad", year=2020), scenario(DS, "USA,JPN,AUS,PHL", "alliance", 2020)]
        pid = store.publish(FILES, "compare", slots, "Two options")
        at = open_page(s=pid)  # the build page hands it to the compare page
        state = at.session_state["cmp_state"]
        assert state.year == 2020
        assert list(state.slots) == [Slot(s.members, s.framing) for s in slots]
        assert banner(at) == ["#### Two options"]


class TestPublishOnCompare:
    def test_publish_returns_a_link_that_opens_the_slots(self, store):
        at = open_page(COMPARE, s1="quad", s2="USA,JPN,AUS,PHL", f2="alliance", year="2022")
        at = with_form(at)
        at.text_input(key="cmp_publish_title").input("Quad or a Squad")
        publish_button(at).click().run()
        pid = published_link(at).split("?s=")[1]
        got = store.open(pid)
        assert got.kind == "compare" and got.year == 2022 and len(got.scenarios) == 2
        opened = open_page(COMPARE, s=pid)
        assert opened.session_state["cmp_state"] == at.session_state["cmp_state"]
        assert banner(opened) == ["#### Quad or a Squad"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestUnreachable:
    @pytest.fixture
    def gone(self, monkeypatch):
        monkeypatch.setenv("COHESION_STORE", f"postgresql://u:pw@127.0.0.1:{closed_port()}/x")

    def test_publish_says_so_and_the_page_works(self, gone):
        at = open_page(members="quad")
        publish_button(at).click().run()
        (error,) = [unescaped(e.value) for e in at.error]
        assert error.startswith("Not published: the store of published scenarios cannot be")
        assert "pw" not in error and "127.0.0.1" not in error
        assert shown_cohesion(at) != "—"

    def test_a_short_link_says_so_and_opens_the_default(self, gone):
        at = open_page(s="AAAAAAAAAAAAAAAA")
        (error,) = [e.value for e in at.error]
        assert "cannot be reached" in error and "default scenario" in error
        assert at.session_state["build_state"].members == DS.presets["quad"].members
        assert shown_cohesion(at) != "—"

    @pytest.mark.parametrize("page", [COMPARE, DATA, "views/finder.py", "views/timeline.py"])
    def test_every_other_page_works(self, gone, page):
        at = open_page(page)
        assert not at.error


def first_zip(at: AppTest) -> tuple[str, bytes]:
    """The first zip the page offers (the notice's 'Download dataset')."""
    from apptest import _KeptFiles

    for button in at.get("download_button"):
        files = _KeptFiles.last
        if button.proto.deferred_file_id:
            entry = files._deferred_callables[button.proto.deferred_file_id]
            data = entry["callable"]()
            return entry["filename"], data
        stored = files._storage.get_file(button.proto.url.rsplit("/", 1)[1].split(".")[0])
        if stored.filename.endswith(".zip"):
            return stored.filename, stored.content
    raise AssertionError("no zip offered")
