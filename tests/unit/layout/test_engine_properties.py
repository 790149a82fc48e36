"""Invariants of the layout engine over random decks, layouts and team counts (hypothesis)."""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.layout.engine import compute_board
from gria_miro.render.svg import render_svg
from tests.unit.layout.builders import make_deck, make_layout

decks = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5).map(make_deck)
layouts = st.builds(
    make_layout,
    stages=st.integers(0, 5),
    slots=st.integers(1, 9),
    stage_columns=st.integers(1, 4),
    pile_columns=st.integers(1, 7),
    item=st.sampled_from(["card", "app_card"]),
    groups=st.integers(1, 3),
    gap=st.integers(0, 41),
    padding=st.integers(0, 61),
    zone_gap=st.integers(0, 201),
    legend=st.booleans(),
    split_rows=st.booleans(),
)
team_counts = st.integers(1, 5)


def _box(item: DesiredItem) -> tuple[float, float, float, float]:
    return (item.x - item.width / 2, item.y - item.height / 2, item.x + item.width / 2, item.y + item.height / 2)


def _overlap(a: DesiredItem, b: DesiredItem) -> bool:
    al, at, ar, ab = _box(a)
    bl, bt, br, bb = _box(b)
    return al < br and bl < ar and at < bb and bt < ab


def _assert_invariants(board: DesiredBoard, card_codes: set[str]) -> None:
    items = board.items
    by_key = board.by_key()
    assert len(by_key) == len(items), "keys are unique"
    frames = [i for i in items if i.type == "frame"]
    titles = [f.data["title"] for f in frames]
    assert len(set(titles)) == len(titles), "frame titles are unique"
    for item in items:
        assert all(isinstance(v, int) for v in (item.x, item.y, item.width, item.height))
        if item.type == "frame":
            assert item.parent_key is None, "frames are never nested"
            continue
        assert item.parent_key is not None
        parent = by_key[item.parent_key]
        assert parent.type == "frame"
        pl, pt, pr, pb = _box(parent)
        left, top, right, bottom = _box(item)
        assert pl <= left and right <= pr and pt <= top and bottom <= pb, f"{item.key} inside {parent.key}"
        assert item.rel_x == item.x - pl and item.rel_y == item.y - pt
        assert isinstance(item.rel_x, int) and isinstance(item.rel_y, int)
        assert item.position_body() == {"x": item.rel_x, "y": item.rel_y}
    for i, a in enumerate(frames):
        for b in frames[i + 1 :]:
            assert not _overlap(a, b), f"zones {a.key} and {b.key} overlap"
    siblings: dict[str, list[DesiredItem]] = {}
    for item in items:
        if item.parent_key is not None:
            siblings.setdefault(item.parent_key, []).append(item)
    for group in siblings.values():
        group.sort(key=lambda i: (i.y - i.height / 2, i.x))  # by top edge, so the break below is safe
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if b.y - b.height / 2 >= a.y + a.height / 2:
                    break
                assert not _overlap(a, b), f"siblings {a.key} and {b.key} overlap"
    for team in board.teams:
        placed = Counter(i.card_code for i in items if i.team == team.id and i.card_code is not None)
        assert set(placed) == card_codes and set(placed.values()) == {1}, "every card once per team"
        for code in card_codes:
            card = by_key[f"{team.id}/card:{code}"]
            assert card.parent_key == f"{team.id}/zone:pioche"
    for zone in board.zones:
        frame = by_key[zone.key]
        assert (frame.x, frame.y, frame.width, frame.height) == (zone.x, zone.y, zone.width, zone.height)
        assert frame.data["title"] == zone.title


def _dump(board: DesiredBoard) -> str:
    return json.dumps(
        [
            [i.key, i.type, i.x, i.y, i.width, i.height, i.data, i.style, i.parent_key, i.rel_x, i.rel_y]
            for i in board.items
        ],
        ensure_ascii=False,
    )


@settings(max_examples=40, deadline=None)
@given(deck=decks, layout=layouts, teams=team_counts)
def test_board_invariants(deck, layout, teams) -> None:
    board = compute_board(deck, layout, teams=teams)
    assert len(board.teams) == teams
    _assert_invariants(board, {c.code for c in deck.cards})


@settings(max_examples=15, deadline=None)
@given(deck=decks, layout=layouts, teams=team_counts)
def test_same_input_gives_identical_output(deck, layout, teams) -> None:
    first, second = compute_board(deck, layout, teams=teams), compute_board(deck, layout, teams=teams)
    assert _dump(first) == _dump(second)
    assert render_svg(first) == render_svg(second)


def test_cards_in_theme_then_code_order() -> None:
    deck = make_deck([3, 2])
    board = compute_board(deck, make_layout(pile_columns=1))
    cards = [i for i in board.items if i.card_code is not None]
    assert [c.card_code for c in sorted(cards, key=lambda c: c.y)] == [c.code for c in deck.sorted_cards()]


def test_multi_team_titles_are_prefixed_and_keys_have_one_shape() -> None:
    deck = make_deck([2])
    single = compute_board(deck, make_layout(teams=1))
    multi = compute_board(deck, make_layout(teams=1), teams=3)
    assert {z.title for z in single.zones if z.zone_id == "pioche"} == {"Pioche"}
    assert {z.title for z in multi.zones if z.zone_id == "pioche"} == {
        "Équipe A · Pioche",
        "Équipe B · Pioche",
        "Équipe C · Pioche",
    }
    assert "equipe-a/card:TAA-00" in single.by_key()
    assert "equipe-c/zone:pioche/header:th-0" in multi.by_key()
    assert "board/zone:titre" in multi.by_key() and "board/zone:titre/text:titre" in multi.by_key()
    assert [z.order for z in multi.zones if z.team == "equipe-b" and z.role == "stage"] == [0, 1, 2]


def test_the_fast_item_constructor_takes_exactly_the_dataclass_fields() -> None:
    """``_desired_item`` (the engine's bound-setattr constructor) must follow any change to DesiredItem."""
    from gria_miro.layout.engine import _desired_item

    parameters = [p for p in inspect.signature(_desired_item).parameters if not p.startswith("_")]
    assert parameters == [f.name for f in dataclasses.fields(DesiredItem)]


@settings(max_examples=15, deadline=None)
@given(decks, layouts, team_counts)
def test_every_item_is_what_the_dataclass_constructor_builds(deck, layout, teams) -> None:
    board = compute_board(deck, layout, teams=teams)
    for item in board.items:
        rebuilt = DesiredItem(**{f.name: getattr(item, f.name) for f in dataclasses.fields(DesiredItem)})
        assert item == rebuilt and repr(item) == repr(rebuilt) and vars(item) == vars(rebuilt)
