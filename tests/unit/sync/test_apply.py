"""``sync/apply.py`` without HTTP: a plan applied to an in-memory board that speaks the ``BoardPort`` protocol.

The fake board keeps items as :class:`ObservedItem` s (absolute positions from the frame-relative ones it
is sent) and can lose an answer after or before creating a chunk, refuse a chunk, or fail an update or a
delete, so each branch of the applier is exercised: frames before children, lost answers reconciled by
identity, bounded retries, 404s skipped, errors wrapped with what was already done, deletes children first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from gria_miro.board import DesiredBoard
from gria_miro.errors import ExitStatus, GriaError
from gria_miro.layout.engine import compute_board
from gria_miro.miro.errors import MiroApiError, MiroNotFoundError, OutcomeUnknownError
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.apply import MAX_ROUNDS, ApplyError, ApplyReport, apply_plan
from gria_miro.sync.planner import ActionKind, PlanOptions, plan_push
from gria_miro.sync.state import BoardState
from tests.unit.layout.builders import make_deck, make_layout

T = TypeVar("T")
BOARD = "uXjVfake="


@dataclass
class Wire:
    """What Miro answers for a created or updated item (the fields apply reads)."""

    id: str
    type: str
    data: dict[str, Any]
    style: dict[str, Any]


@dataclass
class FakeBoard:
    """An in-memory board behind the ``BoardPort`` protocol, with faults chosen per chunk or per item."""

    items: dict[str, ObservedItem] = field(default_factory=dict)
    lose_after: set[int] = field(default_factory=set)  # chunk calls created, then their answer lost
    lose_before: set[int] = field(default_factory=set)  # chunk calls lost before anything was created
    refuse: dict[int, GriaError] = field(default_factory=dict)  # chunk calls answered with an error
    update_errors: dict[str, GriaError] = field(default_factory=dict)  # item id → error
    delete_errors: dict[str, GriaError] = field(default_factory=dict)
    chunk_calls: list[list[str]] = field(default_factory=list)  # types of each chunk sent, in order
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    reads: int = 0
    _next_id: int = 1000

    def read_board(self, board_id: str, *, check_write: bool = False) -> ObservedBoard:
        self.reads += 1
        return ObservedBoard(board_id, "Plateau", None, tuple(self.items.values()))

    def bulk_create_chunks(
        self,
        board_id: str,
        chunks: Sequence[Sequence[Mapping[str, Any]]],
        on_result: Callable[[int, Any], None],
    ) -> None:
        for index, chunk in enumerate(chunks):
            call = len(self.chunk_calls)
            self.chunk_calls.append([body["type"] for body in chunk])
            if call in self.refuse:
                on_result(index, self.refuse[call])
                continue
            if call in self.lose_before:
                on_result(index, OutcomeUnknownError(items=chunk, reason="connexion coupée"))
                continue
            created = [self._create(body) for body in chunk]
            if call in self.lose_after:
                on_result(index, OutcomeUnknownError(items=chunk, reason="réponse perdue"))
                continue
            on_result(index, [Wire(i.id, i.type, dict(i.data), dict(i.style)) for i in created])

    def _create(self, body: Mapping[str, Any]) -> ObservedItem:
        self._next_id += 1
        item_id = str(self._next_id)
        geometry, position = body["geometry"], body["position"]
        width = geometry["width"]
        height = geometry.get("height", width * 94 / 320)
        parent_id = body.get("parent", {}).get("id")
        x, y, rel_x, rel_y = position["x"], position["y"], None, None
        if parent_id is not None:
            frame = self.items[parent_id]
            rel_x, rel_y = x, y
            x, y = frame.x - frame.width / 2 + rel_x, frame.y - frame.height / 2 + rel_y
        item = ObservedItem(
            item_id, body["type"], x, y, width, height, dict(body["data"]), dict(body.get("style", {})),
            parent_id, rel_x, rel_y,
        )  # fmt: skip
        self.items[item_id] = item
        return item

    def update_item(self, board_id: str, type: str, item_id: str, body: Mapping[str, Any]) -> Any:
        if item_id in self.update_errors:
            raise self.update_errors[item_id]
        old = self.items[item_id]
        self.items[item_id] = ObservedItem(
            item_id, old.type, old.x, old.y, old.width, old.height, dict(body["data"]),
            dict(body.get("style", old.style)), old.parent_id, old.rel_x, old.rel_y,
        )  # fmt: skip
        self.updated.append(item_id)
        return Wire(item_id, old.type, dict(body["data"]), dict(body.get("style", old.style)))

    def delete_item(self, board_id: str, item_id: str) -> None:
        if item_id in self.delete_errors:
            raise self.delete_errors[item_id]
        self.items.pop(item_id, None)
        self.deleted.append(item_id)

    def run_concurrently(self, fns: Sequence[Callable[[], T]]) -> list[T | GriaError]:
        results: list[T | GriaError] = []
        for fn in fns:
            try:
                results.append(fn())
            except GriaError as exc:
                results.append(exc)
        return results


def _desired(cards: int = 5, stages: int = 2) -> DesiredBoard:
    return compute_board(make_deck([cards]), make_layout(stages=stages, legend=False, groups=1))


@dataclass
class Run:
    report: ApplyReport
    state: BoardState
    saves: int
    progress: int


def _push(
    fake: FakeBoard, desired: DesiredBoard, state: BoardState | None = None, options: PlanOptions | None = None
) -> Run:
    state = state or BoardState(BOARD)
    observed = fake.read_board(BOARD)
    plan = plan_push(desired, observed, state, options or PlanOptions())
    saves, done = [0], [0]

    def save(_: BoardState) -> None:
        saves[0] += 1

    def progress(n: int) -> None:
        done[0] += n

    report = apply_plan(fake, plan, desired, observed, state, save=save, progress=progress)
    return Run(report, state, saves[0], done[0])


def _apply_error(fake: FakeBoard, desired: DesiredBoard, state: BoardState) -> ApplyError:
    with pytest.raises(ApplyError) as caught:
        _push(fake, desired, state)
    return caught.value


def _frames(desired: DesiredBoard) -> int:
    return sum(1 for item in desired.items if item.type == "frame")


def test_a_first_push_creates_frames_alone_then_children_in_chunks_of_20() -> None:
    desired, fake = _desired(cards=30), FakeBoard()
    run = _push(fake, desired)

    frames = _frames(desired)
    assert [types for types in fake.chunk_calls[:frames]] == [["frame"]] * frames
    children = [t for types in fake.chunk_calls[frames:] for t in types]
    assert "frame" not in children and len(children) == len(desired.items) - frames
    assert max(len(types) for types in fake.chunk_calls) == 20
    assert run.report.created == run.progress == len(desired.items) == len(fake.items)
    assert set(run.state.items) == {item.key for item in desired.items}
    assert run.saves >= len(fake.chunk_calls)  # after every chunk, so an interruption loses nothing
    for item in desired.items:  # every child is in the frame its zone got
        if item.parent_key is not None:
            record = run.state.items[item.key]
            assert record.parent_id == run.state.items[item.parent_key].id == fake.items[record.id].parent_id
            assert (record.x, record.y) == (item.x, item.y)


def test_a_chunk_created_but_unanswered_is_recognised_on_the_board_not_created_twice() -> None:
    desired = _desired(cards=12)
    fake = FakeBoard(lose_after={_frames(desired)})  # the first chunk of children
    run = _push(fake, desired)

    lost = len(fake.chunk_calls[_frames(desired)])
    assert len(fake.items) == len(desired.items)  # no duplicate
    assert run.report.recorded == lost and run.report.created == len(desired.items) - lost
    assert fake.reads == 2  # the plan's read, then one re-read after the lost answer
    assert {record.id for record in run.state.items.values()} == set(fake.items)


def test_a_chunk_lost_before_it_was_created_is_created_in_the_next_round() -> None:
    desired = _desired(cards=12)
    fake = FakeBoard(lose_before={_frames(desired)})
    run = _push(fake, desired)

    assert len(fake.items) == len(desired.items)
    assert run.report.created == len(desired.items) and run.report.recorded == 0
    assert set(run.state.items) == {item.key for item in desired.items}


def test_answers_lost_round_after_round_stop_with_a_network_error_and_keep_what_was_done() -> None:
    desired = _desired(cards=4)
    frames = _frames(desired)
    fake = FakeBoard(lose_before=set(range(frames, frames + MAX_ROUNDS)))
    state = BoardState(BOARD)
    error = _apply_error(fake, desired, state)

    assert error.exit_status == ExitStatus.NETWORK_ERROR
    assert f"après {MAX_ROUNDS} tentatives" in error.one_line() and "relancez" in error.one_line()
    assert error.report.created == frames  # the frames were made and are in the state
    assert set(state.items) == {i.key for i in desired.items if i.type == "frame"}


def test_a_refused_chunk_stops_the_push_with_the_cause_and_what_was_done() -> None:
    desired = _desired(cards=4)
    cause = MiroApiError(status=400, code="invalidParameters", miro_message="bad body")
    fake = FakeBoard(refuse={_frames(desired): cause})
    state = BoardState(BOARD)
    error = _apply_error(fake, desired, state)

    assert error.cause is cause and error.exit_status == cause.exit_status == ExitStatus.API_ERROR
    assert "déjà fait : " in error.one_line() and f"{_frames(desired)} créé(s)" in error.one_line()
    assert len(state.items) == _frames(desired)


def _pushed(cards: int = 5) -> tuple[FakeBoard, DesiredBoard, BoardState]:
    desired, fake = _desired(cards=cards), FakeBoard()
    run = _push(fake, desired)
    return fake, desired, run.state


def _renamed(cards: int = 5) -> DesiredBoard:
    """The board of ``_desired`` with every card's title changed in the deck."""
    deck = make_deck([cards])
    renamed = tuple(c.model_copy(update={"title": f"{c.title} (v2)"}) for c in deck.cards)
    return compute_board(deck.model_copy(update={"cards": renamed}), make_layout(stages=2, legend=False, groups=1))


def test_a_deck_change_updates_the_cards_and_records_what_the_board_shows() -> None:
    fake, _, state = _pushed()
    desired = _renamed()
    run = _push(fake, desired, state)

    card_ids = {state.items[i.key].id for i in desired.items if i.card_code}
    assert set(fake.updated) == card_ids and run.report.updated == len(card_ids) and run.report.created == 0
    for item_id in card_ids:
        assert "(v2)" in fake.items[item_id].data["title"]
    replan = plan_push(desired, fake.read_board(BOARD), state, PlanOptions())
    assert not replan.has_changes  # the recorded fingerprints are what the board now shows


def test_an_item_deleted_meanwhile_is_skipped_and_another_error_stops_after_the_batch() -> None:
    fake, _, state = _pushed()
    desired = _renamed()
    keys = [i.key for i in desired.items if i.card_code]
    gone, broken = state.items[keys[0]].id, state.items[keys[1]].id
    fake.update_errors[gone] = MiroNotFoundError(status=404, item_id=gone, board_id=BOARD)
    fake.update_errors[broken] = MiroApiError(status=500, code="internalError")
    error = _apply_error(fake, desired, state)

    assert error.report.skipped == [keys[0]]
    assert error.report.updated == len(keys) - 2  # the rest of the batch was applied and saved
    assert error.exit_status == ExitStatus.API_ERROR


def test_prune_deletes_cards_before_frames_and_a_404_counts_as_gone() -> None:
    fake, desired, state = _pushed(cards=5)
    smaller = compute_board(make_deck([2]), make_layout(stages=1, legend=False, groups=1))
    doomed = {state.items[k].id: k for k in state.items if k not in {i.key for i in smaller.items}}
    already_gone = next(item_id for item_id, key in doomed.items() if "/card:" in key)
    fake.delete_errors[already_gone] = MiroNotFoundError(status=404, item_id=already_gone, board_id=BOARD)
    run = _push(fake, smaller, state, PlanOptions(prune=True))

    frame_ids = {item_id for item_id, key in doomed.items() if desired.by_key()[key].type == "frame"}
    order = fake.deleted
    assert set(order) | {already_gone} == set(doomed)
    assert all(order.index(f) > order.index(o) for f in frame_ids for o in order if o not in frame_ids)
    assert run.report.deleted == len(doomed)
    assert not set(doomed.values()) & set(state.items)


def test_a_failed_delete_stops_with_the_cause_and_keeps_the_item_in_the_state() -> None:
    fake, _, state = _pushed(cards=5)
    smaller = compute_board(make_deck([2]), make_layout(stages=2, legend=False, groups=1))
    key = next(k for k in state.items if k not in {i.key for i in smaller.items})
    fake.delete_errors[state.items[key].id] = MiroApiError(status=403, code="forbidden")
    with pytest.raises(ApplyError) as caught:
        _push(fake, smaller, state, PlanOptions(prune=True))
    assert key in state.items and caught.value.exit_status == ExitStatus.API_ERROR


def test_items_gone_on_both_sides_are_forgotten() -> None:
    fake, _, state = _pushed(cards=5)
    smaller = compute_board(make_deck([2]), make_layout(stages=2, legend=False, groups=1))
    gone = [k for k in state.items if k not in {i.key for i in smaller.items}]
    for key in gone:
        fake.items.pop(state.items[key].id)
    run = _push(fake, smaller, state)
    assert run.report.forgotten == len(gone) and not set(gone) & set(state.items)
    assert run.report.created == run.report.deleted == 0 and not fake.deleted  # nothing to delete: gone already


def test_a_lost_state_adopts_what_is_on_the_board_without_writing() -> None:
    fake, desired, _ = _pushed(cards=5)
    fresh = BoardState(BOARD)
    plan = plan_push(desired, fake.read_board(BOARD), fresh, PlanOptions())
    assert plan.adopted and not [a for a in plan.actions if a.kind == ActionKind.CREATE]
    run = _push(fake, desired, fresh)
    assert run.report.writes == 0 and run.report.recorded == len(plan.adopted) == len(desired.items)
    assert {r.id for r in fresh.items.values()} == set(fake.items)
