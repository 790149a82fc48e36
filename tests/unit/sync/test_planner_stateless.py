"""The "state absent" rows of the push decision table, and clean/prune of touched items: one test per row."""

from __future__ import annotations

from dataclasses import replace

from gria_miro.board import DesiredItem
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.bodies import sealed_data
from gria_miro.sync.manifest import manifest_content, manifest_for
from gria_miro.sync.planner import ActionKind, BoardHistory, Note, PlanOptions, plan_clean, plan_push
from gria_miro.sync.state import BoardState
from tests.unit.sync.test_planner import CARD, FRAME, desired, observed_of

STICKY = DesiredItem(
    key="equipe/zone:pioche/sticky:notes-1",
    type="sticky_note",
    x=100,
    y=100,
    width=200,
    height=200,
    data={"content": ""},
    style={"fillColor": "light_yellow"},
    parent_key="equipe/zone:pioche",
    rel_x=600,
    rel_y=400,
    team="equipe",
)
NO_STATE = BoardState("b")


def pushed(item: DesiredItem, item_id: str, parent_id: str | None = "1", **changes: object) -> ObservedItem:
    """The item as gria-miro pushed it (cards sealed), then changed by ``changes``."""
    obs = replace(observed_of(item, item_id, parent_id=parent_id), data=sealed_data(item))
    return replace(obs, **changes)  # type: ignore[arg-type]


def manifest_item(*items: DesiredItem) -> ObservedItem:
    made = replace(manifest_for(desired(*items), "gria-fr", "randonnee", None, "deckfp"), complete=True)
    return ObservedItem("99", "text", 0, -900, 900, 100, data={"content": manifest_content(made)})


def plan(board_items: tuple[ObservedItem, ...], *items: DesiredItem, **options: bool):  # type: ignore[no-untyped-def]
    return plan_push(desired(*items), ObservedBoard("b", None, None, board_items), NO_STATE, PlanOptions(**options))


def action(result, key: str):  # type: ignore[no-untyped-def]
    return next(a for a in result.actions if a.key == key)


def edited_title(item: DesiredItem) -> dict[str, object]:
    return {**sealed_data(item), "title": "GOV-01 · Notre version à nous"}


def test_missing_and_the_manifest_says_it_was_pushed_is_reported_not_created() -> None:
    board = (pushed(FRAME, "1", None), manifest_item(FRAME, CARD))
    kept = action(plan(board, FRAME, CARD), CARD.key)
    assert (kept.kind, kept.notes) == (ActionKind.KEEP, (Note.DELETED_ON_BOARD,))
    restored = action(plan(board, FRAME, CARD, restore=True), CARD.key)
    assert restored.kind == ActionKind.CREATE and Note.RESTORED in restored.notes


def test_missing_and_not_in_the_manifest_is_created() -> None:
    board = (pushed(FRAME, "1", None), manifest_item(FRAME))  # the deck gained the card since
    assert action(plan(board, FRAME, CARD), CARD.key).kind == ActionKind.CREATE


def test_sealed_and_untouched_with_a_changed_deck_is_updated() -> None:
    new_card = replace(CARD, data={**CARD.data, "title": "GOV-01 · Recenser toutes les chartes"})
    board = (pushed(FRAME, "1", None), pushed(CARD, "2"), manifest_item(FRAME, CARD))
    updated = action(plan(board, FRAME, new_card), CARD.key)
    assert updated.kind == ActionKind.UPDATE and not updated.move and Note.DECK_CHANGED in updated.notes


def test_sealed_and_edited_by_participants_with_the_same_deck_is_kept() -> None:
    board = (pushed(FRAME, "1", None), pushed(CARD, "2", data=edited_title(CARD)))
    kept = action(plan(board, FRAME, CARD), CARD.key)
    assert (kept.kind, kept.notes) == (ActionKind.KEEP, (Note.ADOPTED, Note.EDITED_ON_BOARD))


def test_sealed_edited_and_changed_in_the_deck_is_a_conflict_unless_forced() -> None:
    new_card = replace(CARD, data={**CARD.data, "description": "<p>Difficulté : 2</p>"})
    board = (pushed(FRAME, "1", None), pushed(CARD, "2", data=edited_title(CARD)))
    assert action(plan(board, FRAME, new_card), CARD.key).kind == ActionKind.CONFLICT
    forced = action(plan(board, FRAME, new_card, force=True), CARD.key)
    assert forced.kind == ActionKind.UPDATE and Note.FORCED in forced.notes


def test_a_participants_card_with_a_deck_code_is_never_taken_for_gria_mirros() -> None:
    theirs = observed_of(CARD, "7", parent_id="1", data={"title": "GOV-01 · Notre version", "description": "à nous"})
    board = (pushed(FRAME, "1", None), theirs, manifest_item(FRAME, CARD))
    result = plan(board, FRAME, CARD)
    assert CARD.key not in result.adopted and all(a.item_id != "7" for a in result.actions)
    assert action(result, CARD.key).notes == (Note.DELETED_ON_BOARD,)


def test_a_filled_slot_on_a_board_pushed_with_this_layout_is_kept() -> None:
    filled = pushed(STICKY, "3", data={"content": "Camille — cheffe de projet"}, modified_at="t2", created_at="t1")
    board = (pushed(FRAME, "1", None), filled, manifest_item(FRAME, STICKY))
    kept = action(plan(board, FRAME, STICKY), STICKY.key)
    assert (kept.kind, kept.notes) == (ActionKind.KEEP, (Note.ADOPTED, Note.EDITED_ON_BOARD))


def test_an_item_never_modified_since_created_follows_the_layout() -> None:
    shown = pushed(STICKY, "3", data={"content": "ancien texte"}, created_at="t1", modified_at="t1")
    board = (pushed(FRAME, "1", None), shown)  # no manifest: an older board
    updated = action(plan(board, FRAME, STICKY), STICKY.key)
    assert updated.kind == ActionKind.UPDATE and Note.DECK_CHANGED in updated.notes


def test_a_difference_nothing_explains_is_kept_and_reported_unless_forced() -> None:
    shown = pushed(STICKY, "3", data={"content": "Camille"}, created_at="t1", modified_at="t2")
    board = (pushed(FRAME, "1", None), shown)  # no manifest, modified since created
    uncertain = action(plan(board, FRAME, STICKY), STICKY.key)
    assert (uncertain.kind, uncertain.notes) == (ActionKind.CONFLICT, (Note.ADOPTED, Note.UNCERTAIN))
    forced = action(plan(board, FRAME, STICKY, force=True), STICKY.key)
    assert forced.kind == ActionKind.UPDATE and Note.FORCED in forced.notes


def test_history_without_a_manifest_knows_nothing() -> None:
    history = BoardHistory.of(desired(FRAME, CARD), ObservedBoard("b", None, None, ()))
    assert not history.sealed and not history.pushed(CARD) and not history.shows_pushed(CARD)


def test_an_unreadable_manifest_counts_as_absent() -> None:
    damaged = replace(manifest_item(FRAME, CARD), data={"content": "<p>gria-miro · manifeste du plateau</p><p>?</p>"})
    history = BoardHistory.of(desired(FRAME, CARD), ObservedBoard("b", None, None, (damaged,)))
    assert history.manifest is None and not history.pushed(CARD)


def test_clean_keeps_touched_items_and_their_zone_unless_forced() -> None:
    assigned = pushed(CARD, "2", data={**sealed_data(CARD), "assigneeId": "42"})
    board = ObservedBoard("b", None, None, (pushed(FRAME, "1", None), assigned, manifest_item(FRAME, CARD)))
    result = plan_clean(board, NO_STATE, desired(FRAME, CARD))
    assert {(a.key, a.kind) for a in result.actions} == {(CARD.key, ActionKind.KEEP), (FRAME.key, ActionKind.KEEP)}
    assert all(Note.TOUCHED in a.notes for a in result.actions)  # the manifest stays too
    forced = plan_clean(board, NO_STATE, desired(FRAME, CARD), force=True)
    assert {a.item_id for a in forced.of(ActionKind.DELETE)} == {"1", "2", "99"}


def test_clean_deletes_untouched_items_and_the_manifest_last() -> None:
    board = ObservedBoard("b", None, None, (pushed(FRAME, "1", None), pushed(CARD, "2"), manifest_item(FRAME, CARD)))
    result = plan_clean(board, NO_STATE, desired(FRAME, CARD))
    assert [a.item_id for a in result.actions] == ["2", "1", "99"]


def test_prune_keeps_a_touched_item_unless_forced() -> None:
    from tests.unit.sync.test_planner import pushed_board

    frame, card, state = pushed_board()
    moved = replace(card, x=card.x + 300)
    board = ObservedBoard("b", None, None, (frame, moved))
    kept = action(plan_push(desired(FRAME), board, state, PlanOptions(prune=True)), CARD.key)
    assert (kept.kind, kept.notes) == (ActionKind.KEEP, (Note.REMOVED_FROM_DECK, Note.TOUCHED))
    forced = action(plan_push(desired(FRAME), board, state, PlanOptions(prune=True, force=True)), CARD.key)
    assert forced.kind == ActionKind.DELETE
