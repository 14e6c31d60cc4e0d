"""The build page's network layout is part of its link (docs/architecture.md §6): read from
``layout``, shown by the layout control, written back only when it is not the default."""

from __future__ import annotations

from apptest import BUILD, address, link_warning, open_page


class TestLayoutInTheLink:
    def test_a_link_opens_its_layout(self):
        at = open_page(BUILD, members="USA,JPN", layout="Force")
        assert at.session_state["build_state"].layout == "force"
        assert at.segmented_control(key="build_layout").value == "force"
        assert address(at)["layout"] == "force"
        assert link_warning(at) == ""

    def test_the_default_layout_is_left_out_of_the_link(self):
        at = open_page(BUILD, members="USA,JPN", layout="map")
        assert "layout" not in address(at)

    def test_choosing_a_layout_writes_it_to_the_link(self):
        at = open_page(BUILD, members="USA,JPN")
        at.segmented_control(key="build_layout").set_value("force").run()
        assert address(at)["layout"] == "force"
        at.segmented_control(key="build_layout").set_value("map").run()
        assert "layout" not in address(at)

    def test_an_unknown_layout_is_named_and_the_map_used(self):
        at = open_page(BUILD, members="USA,JPN", layout="globe")
        assert at.session_state["build_state"].layout == "map"
        assert link_warning(at) == (
            "Parts of this link were ignored: layout 'globe' is not one of map, force; used map."
        )
