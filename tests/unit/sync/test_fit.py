"""``sync/fit.py``: which zone resizes can be ordered, and which plans are refused before the first write."""

from __future__ import annotations

import pytest

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.errors import ExitStatus
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.fit import Resize, ZoneTooSmallError, check_fits, resize_of, too_small
from gria_miro.sync.planner import Action, ActionKind, Plan

# -- the resize table, one row per test ---------------------------------------------------------------


def test_same_size_needs_no_order() -> None:
    assert resize_of((800, 600), (800, 600)) == Resize.SAME


def test_only_longer_sides_grow_first() -> None:
    assert resize_of((800, 600), (900, 600)) == Resize.GROW
    assert resize_of((800, 600), (900, 700)) == Resize.GROW


def test_only_shorter_sides_shrink_last() -> None:
    assert resize_of((800, 600), (800, 300)) == Resize.SHRINK
    assert resize_of((800, 600), (700, 300)) == Resize.SHRINK


def test_longer_and_shorter_is_mixed() -> None:
    assert resize_of((800, 600), (1200, 300)) == Resize.MIXED


# -- plans that fit, plans that do not ----------------------------------------------------------------

FRAME_ID = "9001"


def _desired(height: int) -> DesiredBoard:
    frame = DesiredItem(
        "equipe-a/zone:etape-1", "frame", 0, 0, 1000, height, {"title": "Préparer le sac"}, team="equipe-a"
    )
    text = DesiredItem(
        "equipe-a/zone:etape-1/text:explication",
        "text",
        0,
        0,
        300,
        40,
        {"content": "Étape 1"},
        parent_key=frame.key,
        rel_x=200,
        rel_y=40,
    )
    return DesiredBoard("randonnee", "gria-fr", (), (), (frame, text))


def _board(*children: ObservedItem) -> ObservedBoard:
    frame = ObservedItem(FRAME_ID, "frame", 500, 400, 1000, 800, {"title": "Préparer le sac"})
    return ObservedBoard("uXjVfake=", "Plateau", None, (frame, *children))


def _child(item_id: str, rel_y: float, item_type: str = "card", title: str = "GOV-01 · Piloter") -> ObservedItem:
    data = {"title": title} if item_type == "card" else {"content": f"<p>{title}</p>"}
    return ObservedItem(item_id, item_type, 200, rel_y, 320, 100, data, parent_id=FRAME_ID, rel_x=200, rel_y=rel_y)


def _plan(*extra: Action, frame: ActionKind = ActionKind.UPDATE) -> Plan:
    resize = Action(frame, "equipe-a/zone:etape-1", "frame", item_id=FRAME_ID)
    return Plan("uXjVfake=", (resize, *extra))


def test_a_participant_card_below_the_new_height_refuses_the_plan() -> None:
    zones = too_small(_plan(), _desired(300), _board(_child("1", 650)))
    assert [(z.title, z.old, z.new, z.items) for z in zones] == [
        ("Préparer le sac", (1000, 800), (1000, 300), ("carte GOV-01",))
    ]
    with pytest.raises(ZoneTooSmallError) as caught:
        check_fits(_plan(), _desired(300), _board(_child("1", 650)))
    assert caught.value.exit_status == ExitStatus.USER_ERROR
    assert "« Préparer le sac »" in caught.value.one_line() and "rien n'a été modifié" in caught.value.one_line()
    assert caught.value.detail_lines() == ["« Préparer le sac » : 1000×800 → 1000×300 ; en sortiraient : carte GOV-01"]


def test_a_note_is_named_by_its_text() -> None:
    zones = too_small(_plan(), _desired(300), _board(_child("1", 650, "sticky_note", "Marie, médiation")))
    assert zones[0].items == ("note « Marie, médiation »",)


def test_what_still_fits_the_smaller_zone_does_not_refuse() -> None:
    assert too_small(_plan(), _desired(300), _board(_child("1", 250))) == []


def test_what_gria_miro_moves_first_does_not_refuse() -> None:
    moved = Action(ActionKind.UPDATE, "equipe-a/zone:etape-1/text:explication", "text", item_id="1", move=True)
    assert too_small(_plan(moved), _desired(300), _board(_child("1", 650, "text", "Étape 1"))) == []


def test_what_is_deleted_first_does_not_refuse() -> None:
    deleted = Action(ActionKind.DELETE, "equipe-a/card:GOV-01", "card", item_id="1")
    assert too_small(_plan(deleted), _desired(300), _board(_child("1", 650))) == []


def test_an_update_that_does_not_move_the_item_leaves_it_where_it_is() -> None:
    kept = Action(ActionKind.UPDATE, "equipe-a/zone:etape-1/text:explication", "text", item_id="1", move=False)
    assert len(too_small(_plan(kept), _desired(300), _board(_child("1", 650, "text", "Étape 1")))) == 1


def test_a_growing_zone_or_a_zone_left_as_is_never_refuses() -> None:
    assert too_small(_plan(), _desired(900), _board(_child("1", 790))) == []
    assert too_small(_plan(frame=ActionKind.KEEP), _desired(300), _board(_child("1", 650))) == []
