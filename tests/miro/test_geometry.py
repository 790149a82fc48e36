"""Absolute positions from Miro's frame-relative ones, walking the parent chain."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gria_miro.miro.geometry import to_observed
from gria_miro.miro.wire import WireItem
from tests.miro.conftest import wire_item


def item(*args: object, **kwargs: object) -> WireItem:
    return WireItem.model_validate(wire_item(*args, **kwargs))  # type: ignore[arg-type]


def test_top_level_items_keep_their_position() -> None:
    [card] = to_observed([item("1", x=100, y=-50)])
    assert (card.x, card.y, card.parent_id, card.rel_x) == (100, -50, None, None)
    assert (card.width, card.height, card.created_by, card.modified_by) == (320, 94, "42", "43")


def test_child_of_a_frame_is_offset_from_the_frame_top_left() -> None:
    frame = item("F", "frame", x=1000, y=500, width=2000, height=1000)  # top-left corner at (0, 0)
    child = item("C", x=160, y=47, parent="F")
    by_id = {o.id: o for o in to_observed([child, frame])}
    assert (by_id["C"].x, by_id["C"].y) == (160, 47)
    assert (by_id["C"].rel_x, by_id["C"].rel_y) == (160, 47)
    assert by_id["C"].parent_id == "F"


def test_nested_parents_are_walked() -> None:
    outer = item("O", "frame", x=0, y=0, width=4000, height=2000)  # top-left (-2000, -1000)
    inner = item("I", "frame", x=500, y=300, width=1000, height=600, parent="O")  # centre (-1500, -700)
    leaf = item("L", x=10, y=20, parent="I")  # inner's top-left is (-2000, -1000)
    by_id = {o.id: o for o in to_observed([leaf, inner, outer])}
    assert (by_id["I"].x, by_id["I"].y) == (-1500, -700)
    assert (by_id["L"].x, by_id["L"].y) == (-1990, -980)


def test_canvas_relative_child_is_taken_as_absolute() -> None:
    frame = item("F", "frame", x=1000, y=1000, width=100, height=100)
    child = item("C", x=5, y=6, parent="F", relative_to="canvas_center")
    by_id = {o.id: o for o in to_observed([child, frame])}
    assert (by_id["C"].x, by_id["C"].y, by_id["C"].rel_x) == (5, 6, None)


def test_parent_given_only_to_resolve() -> None:
    frame = item("F", "frame", x=0, y=0, width=200, height=100)
    observed = to_observed([item("C", x=10, y=10, parent="F")], parents=[frame])
    assert [(o.id, o.x, o.y) for o in observed] == [("C", -90, -40)]


def test_missing_parent_keeps_raw_coordinates_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    [child] = to_observed([item("C", x=10, y=20, parent="gone")])
    assert (child.x, child.y, child.parent_id) == (10, 20, "gone")
    assert "C" in caplog.text and "parent" in caplog.text


def test_parent_cycle_does_not_loop() -> None:
    a = item("A", "frame", x=1, y=1, parent="B")
    b = item("B", "frame", x=2, y=2, parent="A")
    assert {o.id for o in to_observed([a, b])} == {"A", "B"}


def test_tags_are_attached() -> None:
    [card] = to_observed([item("1")], tags={"1": ["t1", "t2"]})
    assert card.tag_ids == ("t1", "t2")


@given(
    fx=st.floats(-1e5, 1e5),
    fy=st.floats(-1e5, 1e5),
    fw=st.floats(100, 1e4),
    fh=st.floats(100, 1e4),
    cx=st.floats(0, 1e4),
    cy=st.floats(0, 1e4),
)
def test_child_absolute_position_round_trips(fx: float, fy: float, fw: float, fh: float, cx: float, cy: float) -> None:
    frame = item("F", "frame", x=fx, y=fy, width=fw, height=fh)
    child = next(o for o in to_observed([item("C", x=cx, y=cy, parent="F"), frame]) if o.id == "C")
    # Going back: relative = absolute − frame's top-left.
    assert child.x - (fx - fw / 2) == pytest.approx(cx, abs=1e-6)
    assert child.y - (fy - fh / 2) == pytest.approx(cy, abs=1e-6)
