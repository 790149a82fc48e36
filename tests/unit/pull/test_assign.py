"""Placement of cards and notes on a finished board (pure; hand-built boards)."""

from __future__ import annotations

import pytest

from gria_miro.observed import Member, ObservedBoard, Tag
from gria_miro.pull.assign import (
    CardStatus,
    NoZonesFound,
    assign,
    due_date,
    note_text,
    parse_participant,
)
from tests.unit.pull.boards import SLOT, card, desired_board, note, observed

STAGE1 = "equipe/zone:etape-1"  # (-1100, 700) – (-300, 1300)
STAGE2 = "equipe/zone:etape-2"  # (-200, 700) – (600, 1300)
PILE = "equipe/zone:pioche"


def codes(placement, zone_key):  # type: ignore[no-untyped-def]
    return [c.code for c in placement.zone(zone_key).cards]


def test_parent_frame_wins_over_geometry() -> None:
    # Framed in stage 2 although its centre (absolute) would be read in stage 1: the frame says where it is.
    board = observed(card("GOV-01", -700, 1000, parent="f-etape-2"))
    placement = assign(desired_board(), board)
    assert codes(placement, STAGE2) == ["GOV-01"]
    assert codes(placement, STAGE1) == []


def test_centre_containment_without_parent() -> None:
    placement = assign(desired_board(), observed(card("GOV-01", -700, 1000), card("GOV-02", 0, 0)))
    assert codes(placement, STAGE1) == ["GOV-01"]
    assert codes(placement, PILE) == ["GOV-02"]


def test_card_across_two_zones_is_straddling_not_guessed() -> None:
    # Stage 1 ends at x=-300, stage 2 starts at -200: a 320-wide card centred at -250 lies on both.
    placement = assign(desired_board(), observed(card("GOV-01", -250, 1000)))
    [straddling] = placement.unplaced
    assert straddling.status == CardStatus.STRADDLING
    assert straddling.zones == tuple(sorted((STAGE1, STAGE2)))
    assert codes(placement, STAGE1) == [] and codes(placement, STAGE2) == []


def test_card_across_a_zone_edge_is_straddling() -> None:
    # Centre inside stage 1 (top at 700) but half the card above the frame.
    placement = assign(desired_board(), observed(card("GOV-01", -700, 705)))
    [edge] = placement.unplaced
    assert edge.status == CardStatus.STRADDLING and edge.zones == (STAGE1,)


def test_card_slightly_over_its_zone_edge_stays_in_it() -> None:
    # 7 of its 94 units of height above the frame: less than the straddling share.
    placement = assign(desired_board(), observed(card("GOV-01", -700, 740)))
    assert codes(placement, STAGE1) == ["GOV-01"]


def test_card_outside_every_zone() -> None:
    placement = assign(desired_board(), observed(card("GOV-01", 5000, 5000)))
    [outside] = placement.unplaced
    assert outside.status == CardStatus.OUTSIDE and outside.zone_key is None and outside.team == "equipe"


def test_reading_order_rows_then_columns() -> None:
    # Row 1 (y≈800, slightly uneven): GOV-02 left of DATA-01; row 2 (y=950): FORM-01 left of GOV-01.
    board = observed(
        card("GOV-01", -500, 950),
        card("DATA-01", -500, 790),
        card("GOV-02", -900, 820),
        card("FORM-01", -900, 950),
    )
    assert codes(assign(desired_board(), board), STAGE1) == ["GOV-02", "DATA-01", "FORM-01", "GOV-01"]


def test_assignee_due_date_and_tags() -> None:
    board = observed(
        card("GOV-01", -700, 1000, assigneeId="3074", dueDate="2025-06-30T00:00:00.000Z"),
        card("GOV-02", -700, 1200, assigneeId="9999"),
        members=(Member("3074", "Camille Martin"),),
        tags=(Tag("t1", "prioritaire"),),
    )
    tagged = board.items[-2]
    board = ObservedBoard(
        board.board_id,
        board.name,
        board.view_link,
        tuple(i if i is not tagged else type(i)(**{**i.__dict__, "tag_ids": ("t1",)}) for i in board.items),
        board.members,
        board.tags,
    )
    first, second = assign(desired_board(), board).zone(STAGE1).cards  # type: ignore[union-attr]
    assert (first.assignee, first.due_date, first.tags) == ("Camille Martin", "2025-06-30", ("prioritaire",))
    assert (second.assignee, second.assignee_id) == (None, "9999")  # unknown member: the id is kept


def test_notes_on_a_card_vs_in_the_zone() -> None:
    board = observed(
        card("GOV-01", -700, 800),
        note("n1", "<p>Voir avec la DSI</p>", -700, 880),  # overlaps the card
        note("n2", "À prévoir au budget", -500, 1210),  # same stage, far from the card
        note("n3", "Hors de tout", 5000, -5000),
    )
    placement = assign(desired_board(), board)
    [gov] = placement.zone(STAGE1).cards  # type: ignore[union-attr]
    assert [n.text for n in gov.notes] == ["Voir avec la DSI"]
    assert [n.text for n in placement.zone(STAGE1).notes] == ["À prévoir au budget"]  # type: ignore[union-attr]
    assert [n.text for n in placement.loose_notes] == ["Hors de tout"]


def test_note_next_to_a_card_in_another_zone_is_not_attached() -> None:
    # Within the margin of GOV-01 (stage 1, right edge -540) but its centre is in stage 2.
    board = observed(card("GOV-01", -700, 1000), note("n1", "ailleurs", -120, 1000))
    placement = assign(desired_board(), board)
    assert placement.zone(STAGE1).cards[0].notes == ()  # type: ignore[union-attr]
    assert [n.text for n in placement.zone(STAGE2).notes] == ["ailleurs"]  # type: ignore[union-attr]


def test_cordee_participants_and_gria_items_are_not_notes() -> None:
    board = observed(
        note("slot", "", SLOT.x, SLOT.y, parent="f-cordee"),  # the empty slot gria-miro drew
        note("p1", "Camille Martin — cheffe de projet", 1100, 900, parent="f-cordee"),
        note("p2", "<p>Léo Dubois : médiation</p>", 1300, 900),
        note("p3", "Aïcha (documentaliste)", 1100, 1100),
        note("p4", "<p>Jean</p><p>direction</p>", 1300, 1100),
        note("hdr", "<p>Qui vient ?</p>", 1200, 750, kind="text", parent="f-cordee"),
    )
    placement = assign(desired_board(), board)
    people = [(p.name, p.role) for p in placement.participants]
    assert people == [
        ("Camille Martin", "cheffe de projet"),
        ("Léo Dubois", "médiation"),
        ("Aïcha", "documentaliste"),
        ("Jean", "direction"),
    ]
    assert all(not z.notes for z in placement.zones)


def test_a_filled_slot_counts_as_written() -> None:
    board = observed(note("slot", "Sam — numérique", SLOT.x, SLOT.y, parent="f-cordee"))
    assert [p.name for p in assign(desired_board(), board).participants] == ["Sam"]


def test_cards_added_by_participants_and_missing_cards() -> None:
    board = observed(
        card("X", -700, 1000, item_id="own", title="Notre action à nous"),
        card("GOV-01", 0, 0),
    )
    placement = assign(desired_board(), board)
    [own] = placement.zone(STAGE1).cards  # type: ignore[union-attr]
    assert (own.key, own.code, own.title) == (None, None, "Notre action à nous")
    assert set(placement.missing_cards) == {"equipe/card:GOV-02", "equipe/card:DATA-01", "equipe/card:FORM-01"}


def test_no_zone_on_the_board_is_a_clear_user_error() -> None:
    with pytest.raises(NoZonesFound) as caught:
        assign(desired_board(), ObservedBoard("b-9", None, None, (card("GOV-01", 0, 0),)))
    assert "--layout" in caught.value.one_line() and "b-9" in caught.value.one_line()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Camille — cheffe", ("Camille", "cheffe")),
        ("Camille – cheffe", ("Camille", "cheffe")),
        ("Jean-Pierre - DSI", ("Jean-Pierre", "DSI")),
        ("Jean-Pierre", ("Jean-Pierre", None)),
        ("Léa : médiation, accueil", ("Léa", "médiation, accueil")),
        ("Léa (régie)", ("Léa", "régie")),
        ("Léa, régie", ("Léa", "régie")),
        ("   ", None),
    ],
)
def test_parse_participant(text: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_participant(text) == expected


def test_note_text_and_due_date() -> None:
    assert note_text("<p>a &lt;b&gt;</p><p>c<br>d</p>") == "a <b>\nc\nd"
    assert due_date("2025-01-31T22:00:00Z") == "2025-01-31"
    assert due_date("pas une date") == "pas une date"
    assert due_date(None) is None
