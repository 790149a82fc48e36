"""End-to-end: the real ``MiroClient`` against the local board, in-process and over loopback HTTP.

Every test runs twice (``boards`` fixture): through the in-process adapter on a board file in
``tmp_path``, and through ``start_server`` on 127.0.0.1 with its bearer token. Every request the
clients send is checked against the official spec at the transport (``client_fixtures``), and the
teardown proves the check saw every request. Time is a fake clock: pacing and retries never sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from gria_miro.errors import GriaError
from gria_miro.localboard.faults import FaultPlan
from gria_miro.miro import (
    MiroAuthError,
    MiroClient,
    MiroNotFoundError,
    MiroValidationError,
    OutcomeUnknownError,
    WireItem,
)
from gria_miro.observed import ObservedItem
from tests.localboard.client_fixtures import TOKEN, WAYS, Boards, Target, card, counts, element
from tests.miro.conftest import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=WAYS)
def boards(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Boards]:
    """The test's board file, opened in-process or behind the loopback server; spec-checked."""
    with ExitStack() as stack:
        opened = Boards(request.param, tmp_path / "board.json", stack)
        yield opened
    assert opened.recorder.violations == [], "requests sent by the client do not match the spec"
    assert opened.recorder.checked == opened.requests_sent(), "some requests escaped the spec check"


def _open(boards: Boards, clock: FakeClock, **options: Any) -> tuple[Target, MiroClient, str]:
    target = boards.open()
    return target, boards.client(target, clock, **options), target.board_id


def _frame(client: MiroClient, board_id: str, x: float, y: float, w: float, h: float) -> WireItem:
    body = {"data": {"title": "Zone"}, "position": {"x": x, "y": y}, "geometry": {"width": w, "height": h}}
    return client.create_item(board_id, "frame", body)


def _by_id(items: tuple[ObservedItem, ...]) -> dict[str, ObservedItem]:
    return {item.id: item for item in items}


# ----------------------------------------------------------------------------- create, get, update


def test_create_each_type_singly_then_get_update_delete(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    bodies: dict[str, dict[str, Any]] = {
        "frame": {"data": {"title": "Départ"}, "position": {"x": 0, "y": 0}, "geometry": {"width": 900, "height": 600}},
        "card": card("GOV-03", position={"x": -2000, "y": 0}),
        "sticky_note": {"data": {"content": "Idée", "shape": "square"}, "style": {"fillColor": "light_yellow"}},
        "text": {"data": {"content": "Étape 1"}, "position": {"x": 0, "y": -1000}},
        "shape": {"data": {"content": "Col", "shape": "round_rectangle"}, "geometry": {"width": 300, "height": 120}},
    }
    created = {kind: client.create_item(board_id, kind, body) for kind, body in bodies.items()}
    assert {kind: item.type for kind, item in created.items()} == {kind: kind for kind in bodies}
    assert len({item.id for item in created.values()}) == len(bodies)
    assert (created["card"].data or {})["title"] == "GOV-03"
    assert created["shape"].geometry is not None and created["shape"].geometry.width == 300

    for kind, item in created.items():
        assert client.get_item(board_id, item.id, type=kind).id == item.id
        assert client.get_item(board_id, item.id).type == kind

    updated = client.update_item(board_id, "card", created["card"].id, {"data": {"title": "GOV-04"}})
    assert updated.data is not None and updated.data["title"] == "GOV-04"
    assert client.get_item(board_id, created["card"].id).data["title"] == "GOV-04"  # type: ignore[index]

    client.delete_item(board_id, created["text"].id)
    with pytest.raises(MiroNotFoundError):
        client.get_item(board_id, created["text"].id)
    assert counts(client.list_items(board_id)) == {"frame": 1, "card": 1, "sticky_note": 1, "shape": 1}


def test_bulk_create_mixed_types_in_order(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    sent = [
        element("card", data={"title": "A"}),
        element("sticky_note", data={"content": "B"}),
        element("text", data={"content": "C"}),
        element("shape", data={"content": "D", "shape": "circle"}),
        element("app_card", data={"title": "E"}),
    ]
    made = client.bulk_create(board_id, sent)
    assert [item.type for item in made] == [e["type"] for e in sent]
    assert [(item.data or {}).get("title", (item.data or {}).get("content")) for item in made] == list("ABCDE")
    assert client.stats.requests_by_method == {"POST": 1}
    assert sorted(item.id for item in client.list_items(board_id)) == sorted(item.id for item in made)


# ----------------------------------------------------------------------------- listing, pagination


def test_listing_past_50_with_type_and_parent_filters(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    frame = _frame(client, board_id, 0, 0, 4000, 4000)
    in_frame = [
        element("card", data={"title": f"in {i}"}, parent={"id": frame.id}, position={"x": 50 + i * 60, "y": 100})
        for i in range(60)
    ]
    outside = [element("card", data={"title": f"out {i}"}, position={"x": 10_000 + i * 400, "y": 0}) for i in range(40)]
    notes = [
        element("sticky_note", data={"content": f"n {i}"}, parent={"id": frame.id}, position={"x": 100, "y": 60 * i})
        for i in range(1, 21)
    ]
    everything = in_frame + outside + notes
    chunks = [everything[i : i + 20] for i in range(0, len(everything), 20)]
    results: dict[int, list[WireItem] | GriaError] = {}
    client.bulk_create_chunks(board_id, chunks, lambda index, result: results.__setitem__(index, result))
    assert sorted(results) == list(range(6))
    created = [item for index in range(6) for item in results[index]]  # type: ignore[union-attr]
    assert len(created) == 120

    before = client.stats.requests_by_method.get("GET", 0)
    listed = client.list_items(board_id)
    assert client.stats.requests_by_method["GET"] - before == 3  # 121 items: pages of 50, 50, 21
    assert sorted(item.id for item in listed) == sorted([frame.id, *(item.id for item in created)])
    assert len({item.id for item in listed}) == 121

    assert counts(client.list_items(board_id, type="card")) == {"card": 100}
    assert counts(client.list_items(board_id, type="sticky_note")) == {"sticky_note": 20}
    assert [item.id for item in client.list_items(board_id, type="frame")] == [frame.id]
    children = client.list_items(board_id, parent_item_id=frame.id)
    assert len(children) == 80 and {item.parent_id for item in children} == {frame.id}
    assert counts(children) == {"card": 60, "sticky_note": 20}


def test_read_board_gives_absolute_positions_of_framed_children(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    frame = _frame(client, board_id, 1000, 500, 800, 600)  # top-left corner at (600, 200)
    framed_card = client.create_item(board_id, "card", card("X", parent={"id": frame.id}, position={"x": 100, "y": 50}))
    framed_note = client.create_item(
        board_id,
        "sticky_note",
        {"data": {"content": "N"}, "parent": {"id": frame.id}, "position": {"x": 700, "y": 500}},
    )
    loose_text = client.create_item(board_id, "text", {"data": {"content": "T"}, "position": {"x": -300, "y": 200}})
    assert framed_card.position is not None and (framed_card.position.x, framed_card.position.y) == (100, 50)

    for types in ("default", None):
        board = client.read_board(board_id) if types == "default" else client.read_board(board_id, types=None)
        items = _by_id(board.items)
        assert set(items) == {frame.id, framed_card.id, framed_note.id, loose_text.id}
        assert (items[frame.id].x, items[frame.id].y) == (1000, 500)
        assert (items[framed_card.id].x, items[framed_card.id].y) == (600 + 100, 200 + 50)
        assert (items[framed_card.id].rel_x, items[framed_card.id].rel_y) == (100, 50)
        assert (items[framed_note.id].x, items[framed_note.id].y) == (600 + 700, 200 + 500)
        assert items[framed_note.id].parent_id == frame.id
        assert (items[loose_text.id].x, items[loose_text.id].y) == (-300, 200)
        assert items[loose_text.id].parent_id is None and items[loose_text.id].rel_x is None
        assert board.board_id == board_id and board.name


# ----------------------------------------------------------------------------- bulk limits and atomicity


def test_bulk_of_21_is_refused_before_sending(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    twenty_one = [element("card", data={"title": str(i)}) for i in range(21)]
    with pytest.raises(ValueError, match="21"):
        client.bulk_create(board_id, twenty_one)
    with pytest.raises(ValueError, match="chunk 1"):
        client.bulk_create_chunks(board_id, [twenty_one[:20], twenty_one], lambda i, r: None)
    with pytest.raises(ValueError):
        client.bulk_create(board_id, [])
    assert client.stats.requests == 0  # not even the valid first chunk was sent
    assert client.list_items(board_id) == []


def test_an_invalid_element_fails_its_whole_chunk_naming_its_index(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    bad = element("card", data={"title": "C"}, metadata={"gria": "x"})  # unknown field: Miro refuses it
    chunk = [element("card", data={"title": "A"}), element("sticky_note", data={"content": "B"}), bad]
    with pytest.raises(MiroValidationError) as caught:
        client.bulk_create(board_id, chunk)
    error = caught.value
    assert error.status == 400 and error.bulk_index == 2
    assert "n°2" in str(error) and "aucun élément du lot" in str(error)
    assert any("metadata" in f.field or "metadata" in f.message for f in error.fields)
    assert client.list_items(board_id) == []  # the two valid elements were not created either
    violations = boards.recorder.take_violations()
    assert len(violations) == 1 and "element 2" in violations[0]  # the spec check agrees with the board

    results: dict[int, list[WireItem] | GriaError] = {}
    chunks = [chunk[:2], [chunk[0], bad], [chunk[1]]]
    client.bulk_create_chunks(board_id, chunks, lambda index, result: results.__setitem__(index, result))
    failed = results[1]
    assert isinstance(failed, MiroValidationError) and failed.chunk_index == 1 and failed.bulk_index == 1
    assert [len(r) for i, r in sorted(results.items()) if i != 1] == [2, 1]  # type: ignore[arg-type]
    assert counts(client.list_items(board_id)) == {"card": 1, "sticky_note": 2}
    assert len(boards.recorder.take_violations()) == 1


# ----------------------------------------------------------------------------- re-parenting


def test_move_item_reparents_a_card_into_a_frame(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    frame = _frame(client, board_id, 1000, 500, 800, 600)  # top-left corner at (600, 200)
    loose = client.create_item(board_id, "card", card("GOV-01", position={"x": -500, "y": -500}))
    assert loose.parent_id is None

    moved = client.move_item(board_id, loose.id, x=200, y=100, parent_id=frame.id)
    assert moved.parent_id == frame.id
    assert moved.position is not None and (moved.position.x, moved.position.y) == (200, 100)
    assert [item.id for item in client.list_items(board_id, parent_item_id=frame.id)] == [loose.id]
    observed = _by_id(client.read_board(board_id).items)[loose.id]
    assert (observed.x, observed.y) == (800, 300) and observed.parent_id == frame.id

    client.move_item(board_id, loose.id, x=50, y=60)  # within the frame, relative to its corner
    observed = _by_id(client.read_board(board_id).items)[loose.id]
    assert (observed.x, observed.y) == (650, 260) and observed.parent_id == frame.id

    with pytest.raises(MiroValidationError):  # a child's centre must stay inside its frame
        client.move_item(board_id, loose.id, x=900, y=60)
    observed = _by_id(client.read_board(board_id).items)[loose.id]
    assert (observed.x, observed.y) == (650, 260)


# ----------------------------------------------------------------------------- tags and members


def test_tags_create_attach_list_detach(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    urgent = client.create_tag(board_id, "prioritaire", "red")
    later = client.create_tag(board_id, "à revoir", "blue")
    assert (urgent.title, urgent.fill_color) == ("prioritaire", "red")
    a_card = client.create_item(board_id, "card", card("GOV-03"))
    a_note = client.create_item(board_id, "sticky_note", {"data": {"content": "note"}})

    client.attach_tag(board_id, a_card.id, urgent.id)
    client.attach_tag(board_id, a_card.id, later.id)
    client.attach_tag(board_id, a_note.id, urgent.id)
    assert {t.id for t in client.item_tags(board_id, a_card.id)} == {urgent.id, later.id}
    assert {t.title for t in client.list_tags(board_id)} == {"prioritaire", "à revoir"}
    assert {i.id for i in client.list_items_by_tag(board_id, urgent.id)} == {a_card.id, a_note.id}

    board = client.read_board(board_id, with_tags=True)
    items = _by_id(board.items)
    assert set(items[a_card.id].tag_ids) == {urgent.id, later.id}
    assert items[a_note.id].tag_ids == (urgent.id,)
    assert {t.title for t in board.tags} == {"prioritaire", "à revoir"}

    client.detach_tag(board_id, a_card.id, later.id)
    assert [t.id for t in client.item_tags(board_id, a_card.id)] == [urgent.id]
    assert client.list_items_by_tag(board_id, later.id) == []


def test_members_resolve_a_card_assignee_to_a_name(boards: Boards, clock: FakeClock) -> None:
    target, client, board_id = _open(boards, clock)
    ana = target.engine.add_member(board_id, "Ana Lima")
    bruno = target.engine.add_member(board_id, "Bruno", role="viewer")
    assigned = client.create_item(board_id, "card", card("GOV-03", data={"title": "GOV-03", "assigneeId": ana}))
    assert (assigned.data or {}).get("assigneeId") == ana

    board = client.read_board(board_id)
    names = {m.id: m.name for m in board.members}
    assert names[ana] == "Ana Lima" and names[bruno] == "Bruno"
    assert {m.id: m.role for m in board.members}[bruno] == "viewer"
    observed = _by_id(board.items)[assigned.id]
    assert names[observed.data["assigneeId"]] == "Ana Lima"

    crowd = {target.engine.add_member(board_id, f"Participant {i}") for i in range(55)}
    members = client.list_members(board_id)  # offset pages of 50: past the first page
    assert len(members) == len(board.members) + 55 and crowd <= {m.id for m in members}
    assert len({m.id for m in members}) == len(members)


# ----------------------------------------------------------------------------- errors


def test_unknown_board_and_unknown_item_are_named(boards: Boards, clock: FakeClock) -> None:
    _, client, board_id = _open(boards, clock)
    missing_board = "uXjVNOTHERE0="
    with pytest.raises(MiroNotFoundError) as caught:
        client.get_board(missing_board)
    assert caught.value.status == 404 and missing_board in str(caught.value)
    with pytest.raises(MiroNotFoundError) as caught:
        client.list_items(missing_board)
    assert missing_board in str(caught.value)
    with pytest.raises(MiroNotFoundError) as caught:
        client.read_board(missing_board)
    assert missing_board in str(caught.value)

    missing_item = "3458764699999999999"
    for call in (
        lambda: client.get_item(board_id, missing_item),
        lambda: client.get_item(board_id, missing_item, type="card"),
        lambda: client.delete_item(board_id, missing_item),
        lambda: client.move_item(board_id, missing_item, x=0, y=0),
    ):
        with pytest.raises(MiroNotFoundError) as caught:
            call()
        assert caught.value.item_id == missing_item and missing_item in str(caught.value)
        assert board_id in str(caught.value)
    assert client.stats.retries == 0


def test_wrong_token_is_an_auth_error_that_never_shows_a_token(boards: Boards, clock: FakeClock) -> None:
    target = boards.open()
    wrong = "wrong-SECRET-token-abcdef"
    client = boards.client(target, clock, token=wrong)
    with pytest.raises(MiroAuthError) as caught:
        client.get_board(target.board_id)
    error = caught.value
    assert error.status == 401 and error.exit_status != 0
    shown = " ".join([str(error), repr(error), error.one_line(), *map(str, error.args), repr(client)])
    assert wrong not in shown and TOKEN not in shown and "SECRET" not in shown
    with pytest.raises(MiroAuthError):
        client.bulk_create(target.board_id, [element("card", data={"title": "x"})])
    assert client.stats.retries == 0
    good = boards.client(target, clock)
    assert good.list_items(target.board_id) == []  # nothing was written with the wrong token


# ----------------------------------------------------------------------------- pacing


def _paced_board(boards: Boards, clock: FakeClock, credits: int) -> tuple[MiroClient, str]:
    """A board whose credit window follows the fake clock, and a client with the same budget."""
    target = boards.open(engine=boards.engine_with_clock(clock, credits))
    return boards.client(target, clock, credits_per_minute=credits), target.board_id


def test_a_small_credit_budget_paces_instead_of_hitting_429(boards: Boards, clock: FakeClock) -> None:
    client, board_id = _paced_board(boards, clock, credits=500)  # five single creates a minute
    made = [client.create_item(board_id, "card", card(f"C{i}")) for i in range(12)]
    assert len({item.id for item in made}) == 12
    assert client.stats.rate_limited == 0 and client.stats.retries == 0  # no 429 was ever answered
    assert 119 <= client.stats.pacing_wait_seconds <= 121  # two full windows waited for, on the fake clock
    assert 119 <= clock.t <= 121
    assert len(client.list_items(board_id, type="card")) == 12


def test_bulk_chunks_are_paced_too(boards: Boards, clock: FakeClock) -> None:
    # One worker: with a fake clock, concurrent sleepers would add their waits (not a real scheduler);
    # sharing the bucket between threads is unit-tested in tests/miro/test_pacing.py.
    target = boards.open(engine=boards.engine_with_clock(clock, 2000))  # one chunk of 20 a minute
    client = boards.client(target, clock, credits_per_minute=2000, max_workers=1)
    chunks = [[element("card", data={"title": f"{c}-{i}"}) for i in range(20)] for c in range(3)]
    results: dict[int, list[WireItem] | GriaError] = {}
    client.bulk_create_chunks(target.board_id, chunks, lambda index, result: results.__setitem__(index, result))
    assert sorted(results) == [0, 1, 2] and all(isinstance(r, list) and len(r) == 20 for r in results.values())
    assert client.stats.rate_limited == 0 and client.stats.retries == 0
    assert 119 <= client.stats.pacing_wait_seconds <= 121  # chunks 1 and 2 each waited a minute
    assert len(client.list_items(target.board_id)) == 60


def test_mixed_costs_pace_without_a_429(boards: Boards, clock: FakeClock) -> None:
    client, board_id = _paced_board(boards, clock, credits=1000)
    for i in range(7):
        client.create_item(board_id, "card", card(f"C{i}"))  # 700 credits, 300 left
    client.bulk_create(board_id, [element("card", data={"title": f"B{i}"}) for i in range(5)])  # costs 500
    assert len(client.list_items(board_id)) == 12  # the caller never sees the 429...
    assert client.stats.rate_limited == 0  # ...but the client should not have earned one


# ----------------------------------------------------------------------------- faults


def _fill(boards: Boards, clock: FakeClock, n: int = 60) -> tuple[str, list[str]]:
    """``n`` cards on the board file, created without faults (in-process); their ids."""
    target = boards.healthy()
    client, board_id = boards.client(target, clock), target.board_id
    ids: list[str] = []
    for start in range(0, n, 20):
        chunk = [element("card", data={"title": f"c{i}"}) for i in range(start, min(n, start + 20))]
        ids += [item.id for item in client.bulk_create(board_id, chunk)]
    return board_id, ids


def test_500s_on_reads_are_retried_to_success(boards: Boards, clock: FakeClock) -> None:
    board_id, ids = _fill(boards, clock, 120)
    faulty = boards.open(faults=FaultPlan(seed=5, p_500=0.3))
    client = boards.client(faulty, clock, max_workers=1)
    assert sorted(item.id for item in client.list_items(board_id)) == sorted(ids)
    board = client.read_board(board_id)
    assert len(board.items) == 120 and client.get_board(board_id).id == board_id
    assert client.stats.retries > 0 and client.stats.backoff_wait_seconds > 0
    assert client.stats.rate_limited == 0
    assert set(client.stats.requests_by_method) == {"GET"}


def test_a_500_on_a_create_is_an_unknown_outcome_never_retried(boards: Boards, clock: FakeClock) -> None:
    board_id = boards.healthy().board_id
    client = boards.client(boards.open(faults=FaultPlan(seed=1, p_500=1.0)), clock)
    with pytest.raises(OutcomeUnknownError) as caught:
        client.create_item(board_id, "card", card("once"))
    assert caught.value.status == 500 and caught.value.items == ({"data": {"title": "once"}},)
    assert client.stats.requests_by_method == {"POST": 1} and client.stats.retries == 0


def test_connection_dropped_after_a_bulk_create_commits(boards: Boards, clock: FakeClock) -> None:
    board_id = boards.healthy().board_id
    client = boards.client(boards.open(faults=FaultPlan(seed=1, p_drop_after=1.0)), clock)
    chunk = [element("card", data={"title": f"lost {i}"}) for i in range(20)]
    with pytest.raises(OutcomeUnknownError) as caught:
        client.bulk_create(board_id, chunk)
    error = caught.value
    assert error.items == tuple(chunk) and error.board_id == board_id and error.status is None
    assert "on ne sait pas" in str(error)
    assert client.stats.requests_by_method == {"POST": 1} and client.stats.retries == 0  # never resent

    results: dict[int, list[WireItem] | GriaError] = {}
    client.bulk_create_chunks(board_id, [chunk[:3]], lambda index, result: results.__setitem__(index, result))
    assert isinstance(results[0], OutcomeUnknownError) and results[0].chunk_index == 0

    # The items DID get created: a retry would have duplicated them. Read through a healthy way in.
    reader = boards.client(boards.healthy(), clock)
    titles = sorted((item.data or {})["title"] for item in reader.list_items(board_id, type="card"))
    assert titles == sorted([f"lost {i}" for i in range(20)] + [f"lost {i}" for i in range(3)])


def test_connections_dropped_before_a_read_are_retried(boards: Boards, clock: FakeClock) -> None:
    board_id, ids = _fill(boards, clock, 60)
    client = boards.client(boards.open(faults=FaultPlan(seed=2, p_drop_before=0.4)), clock, max_workers=1)
    assert sorted(item.id for item in client.list_items(board_id)) == sorted(ids)
    assert client.get_item(board_id, ids[0]).id == ids[0]
    assert client.get_board(board_id).id == board_id
    assert client.stats.retries > 0 and client.stats.rate_limited == 0


@pytest.mark.parametrize("retry_after", [True, False], ids=["retry-after", "no-retry-after"])
def test_injected_429s_on_creates_are_waited_out_without_duplicates(
    boards: Boards, clock: FakeClock, retry_after: bool
) -> None:
    board_id = boards.healthy().board_id
    plan = FaultPlan(seed=3, p_429=0.4, p_429_retry_after=retry_after)
    client = boards.client(boards.open(faults=plan), clock)
    made = [client.create_item(board_id, "card", card(f"C{i}")) for i in range(8)]
    assert client.stats.rate_limited > 0  # 429s happened and none reached the caller
    assert client.stats.backoff_wait_seconds >= client.stats.rate_limited * 1.0  # at least a second each
    reader = boards.client(boards.healthy(), clock)
    assert sorted(i.id for i in reader.list_items(board_id)) == sorted(i.id for i in made)  # exactly 8


def test_a_connection_dropped_before_a_create_is_still_an_unknown_outcome(boards: Boards, clock: FakeClock) -> None:
    # The client cannot tell "dropped before" from "dropped after" once the request left: it must not resend.
    board_id = boards.healthy().board_id
    client = boards.client(boards.open(faults=FaultPlan(seed=4, p_drop_before=1.0)), clock)
    with pytest.raises(OutcomeUnknownError):
        client.bulk_create(board_id, [element("card", data={"title": "maybe"})])
    assert client.stats.requests_by_method == {"POST": 1}
    assert boards.client(boards.healthy(), clock).list_items(board_id) == []  # here, nothing was created
