"""The push decision table, one test per branch, on hand-built boards (no I/O)."""

from __future__ import annotations

from dataclasses import replace

from gria_miro.board import DesiredBoard, DesiredItem, Team, Zone, ZoneRole
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.identity import board_fingerprint, desired_fingerprint
from gria_miro.sync.planner import ActionKind, Note, PlanOptions, plan_clean, plan_push
from gria_miro.sync.state import BoardState, ItemState

FRAME = DesiredItem(
    key="equipe/zone:pioche",
    type="frame",
    x=0,
    y=0,
    width=1000,
    height=600,
    data={"title": "La pioche", "format": "custom", "type": "freeform"},
    style={"fillColor": "#ffffff"},
    team="equipe",
)
CARD = DesiredItem(
    key="equipe/card:GOV-01",
    type="card",
    x=-300,
    y=-200,
    width=320,
    height=94,
    data={"title": "GOV-01 · Recenser les chartes", "description": "<p>Difficulté : 1</p>"},
    style={"cardTheme": "#112233"},
    parent_key="equipe/zone:pioche",
    rel_x=200,
    rel_y=100,
    team="equipe",
    card_code="GOV-01",
)
ZONE = Zone("equipe/zone:pioche", "equipe", "pioche", ZoneRole.PILE, "La pioche", "La pioche", 0, 0, 0, 1000, 600)


def desired(*items: DesiredItem) -> DesiredBoard:
    return DesiredBoard("test", "deck", (Team("equipe", "Équipe"),), (ZONE,), items)


def observed_of(item: DesiredItem, item_id: str, parent_id: str | None = None, **changes: object) -> ObservedItem:
    obs = ObservedItem(
        id=item_id,
        type=item.type,
        x=item.x,
        y=item.y,
        width=item.width,
        height=item.height,
        data=dict(item.data),
        style=dict(item.style),
        parent_id=parent_id,
    )
    return replace(obs, **changes)  # type: ignore[arg-type]


def record(item: DesiredItem, obs: ObservedItem) -> ItemState:
    return ItemState(
        obs.id, item.type, desired_fingerprint(item), board_fingerprint(obs), obs.parent_id, item.x, item.y
    )


def pushed_board() -> tuple[ObservedItem, ObservedItem, BoardState]:
    frame = observed_of(FRAME, "1")
    card = observed_of(CARD, "2", parent_id="1")
    state = BoardState("b", items={FRAME.key: record(FRAME, frame), CARD.key: record(CARD, card)})
    return frame, card, state


def one(plan_actions: object, key: str):  # type: ignore[no-untyped-def]
    return next(a for a in plan_actions if a.key == key)  # type: ignore[attr-defined]


def test_new_items_are_created_frames_first() -> None:
    plan = plan_push(desired(FRAME, CARD), ObservedBoard("b", None, None, ()), BoardState("b"), PlanOptions())
    assert [(a.kind, a.key) for a in plan.actions] == [(ActionKind.CREATE, FRAME.key), (ActionKind.CREATE, CARD.key)]
    assert plan.has_changes


def test_unchanged_board_plans_no_write() -> None:
    frame, card, state = pushed_board()
    plan = plan_push(desired(FRAME, CARD), ObservedBoard("b", None, None, (frame, card)), state, PlanOptions())
    assert {a.kind for a in plan.actions} == {ActionKind.KEEP}
    assert not plan.has_changes


def test_deck_change_updates_text_only() -> None:
    frame, card, state = pushed_board()
    new_card = replace(CARD, data={**CARD.data, "title": "GOV-01 · Recenser toutes les chartes"})
    plan = plan_push(desired(FRAME, new_card), ObservedBoard("b", None, None, (frame, card)), state, PlanOptions())
    action = one(plan.actions, CARD.key)
    assert action.kind == ActionKind.UPDATE and action.changes == ("data.title",) and not action.move


def test_card_moved_by_participants_is_kept_where_it_is() -> None:
    frame, card, state = pushed_board()
    moved = replace(card, x=card.x + 400, y=card.y + 300)
    plan = plan_push(desired(FRAME, CARD), ObservedBoard("b", None, None, (frame, moved)), state, PlanOptions())
    action = one(plan.actions, CARD.key)
    assert action.kind == ActionKind.KEEP and Note.MOVED_BY_PARTICIPANTS in action.notes


def test_moved_card_still_gets_deck_text_but_not_moved_back() -> None:
    frame, card, state = pushed_board()
    moved = replace(card, parent_id="99", x=5000.0)
    new_card = replace(CARD, data={**CARD.data, "description": "<p>Nouvelle description</p>"}, x=CARD.x + 40)
    plan = plan_push(desired(FRAME, new_card), ObservedBoard("b", None, None, (frame, moved)), state, PlanOptions())
    action = one(plan.actions, CARD.key)
    assert action.kind == ActionKind.UPDATE and not action.move
    assert Note.MOVED_BY_PARTICIPANTS in action.notes


def test_layout_move_of_an_untouched_item_moves_it() -> None:
    frame, card, state = pushed_board()
    plan = plan_push(
        desired(FRAME, replace(CARD, x=CARD.x + 40, rel_x=240)),
        ObservedBoard("b", None, None, (frame, card)),
        state,
        PlanOptions(),
    )
    action = one(plan.actions, CARD.key)
    assert action.kind == ActionKind.UPDATE and action.move and Note.LAYOUT_MOVED in action.notes


def test_edited_on_board_only_is_drift_kept() -> None:
    frame, card, state = pushed_board()
    edited = replace(card, data={**card.data, "title": "GOV-01 · notre version"})
    plan = plan_push(desired(FRAME, CARD), ObservedBoard("b", None, None, (frame, edited)), state, PlanOptions())
    action = one(plan.actions, CARD.key)
    assert action.kind == ActionKind.KEEP and Note.EDITED_ON_BOARD in action.notes


def test_edited_on_both_sides_is_a_conflict_unless_forced() -> None:
    frame, card, state = pushed_board()
    edited = replace(card, data={**card.data, "title": "GOV-01 · notre version"})
    new_card = replace(CARD, data={**CARD.data, "title": "GOV-01 · version du deck"})
    board = ObservedBoard("b", None, None, (frame, edited))
    assert one(plan_push(desired(FRAME, new_card), board, state, PlanOptions()).actions, CARD.key).kind == (
        ActionKind.CONFLICT
    )
    forced = one(plan_push(desired(FRAME, new_card), board, state, PlanOptions(force=True)).actions, CARD.key)
    assert forced.kind == ActionKind.UPDATE and Note.FORCED in forced.notes


def test_deleted_on_board_is_reported_and_restored_only_on_request() -> None:
    frame, _card, state = pushed_board()
    board = ObservedBoard("b", None, None, (frame,))
    kept = one(plan_push(desired(FRAME, CARD), board, state, PlanOptions()).actions, CARD.key)
    assert kept.kind == ActionKind.KEEP and Note.DELETED_ON_BOARD in kept.notes
    restored = one(plan_push(desired(FRAME, CARD), board, state, PlanOptions(restore=True)).actions, CARD.key)
    assert restored.kind == ActionKind.CREATE and Note.RESTORED in restored.notes


def test_removed_from_deck_is_deleted_only_with_prune() -> None:
    frame, card, state = pushed_board()
    board = ObservedBoard("b", None, None, (frame, card))
    kept = one(plan_push(desired(FRAME), board, state, PlanOptions()).actions, CARD.key)
    assert kept.kind == ActionKind.KEEP and Note.REMOVED_FROM_DECK in kept.notes
    pruned = one(plan_push(desired(FRAME), board, state, PlanOptions(prune=True)).actions, CARD.key)
    assert pruned.kind == ActionKind.DELETE and pruned.item_id == "2"


def test_gone_on_both_sides_is_forgotten() -> None:
    frame, _card, state = pushed_board()
    plan = plan_push(desired(FRAME), ObservedBoard("b", None, None, (frame,)), state, PlanOptions(prune=True))
    assert one(plan.actions, CARD.key).kind == ActionKind.FORGET


def test_lost_state_adopts_items_by_identity_instead_of_duplicating() -> None:
    frame, card, _state = pushed_board()
    moved = replace(card, x=card.x + 300)
    plan = plan_push(
        desired(FRAME, CARD), ObservedBoard("b", None, None, (frame, moved)), BoardState("b"), PlanOptions()
    )
    assert plan.adopted == {FRAME.key: "1", CARD.key: "2"}
    assert all(a.kind == ActionKind.KEEP and Note.ADOPTED in a.notes for a in plan.actions)


def test_items_not_created_by_gria_miro_are_never_touched() -> None:
    frame, card, state = pushed_board()
    foreign = ObservedItem(id="77", type="sticky_note", x=10, y=10, width=200, height=200, data={"content": "idée"})
    foreign_card = replace(card, id="78", data={"title": "Une carte à nous"})
    board = ObservedBoard("b", None, None, (frame, card, foreign, foreign_card))
    for options in (PlanOptions(), PlanOptions(prune=True, force=True, restore=True)):
        plan = plan_push(desired(FRAME, CARD), board, state, options)
        assert all(a.item_id not in ("77", "78") for a in plan.actions)
    assert {a.item_id for a in plan_clean(board, state).actions} == {"1", "2"}


def test_clean_deletes_children_before_frames() -> None:
    frame, card, state = pushed_board()
    plan = plan_clean(ObservedBoard("b", None, None, (frame, card)), state)
    assert [a.item_id for a in plan.actions] == ["2", "1"]
