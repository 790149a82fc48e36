"""The plan summary renderer (render/plan.py): one row of its bucket table per test, then the layout of the text."""

from __future__ import annotations

import pytest

from gria_miro.board import DesiredBoard, DesiredItem, Team, Zone, ZoneRole
from gria_miro.render.plan import _bucket, render_plan_summary
from gria_miro.sync.planner import Action, ActionKind, Note, Plan

TEAMS = (Team("equipe-a", "Équipe A"), Team("equipe-b", "Équipe B"))
PILE_A = Zone(
    "equipe-a/zone:pioche", "equipe-a", "pioche", ZoneRole.PILE, "La pioche", "Équipe A · La pioche", 0, 0, 0, 100, 100
)
PILE_B = Zone(
    "equipe-b/zone:pioche", "equipe-b", "pioche", ZoneRole.PILE, "La pioche", "Équipe B · La pioche", 0, 0, 0, 100, 100
)


def _card(team: str, code: str) -> DesiredItem:
    title = f"{code} · Une action"
    return DesiredItem(
        f"{team}/card:{code}",
        "card",
        0,
        0,
        320,
        94,
        {"title": title},
        parent_key=f"{team}/zone:pioche",
        team=team,
        card_code=code,
    )


def _frame(zone: Zone) -> DesiredItem:
    return DesiredItem(zone.key, "frame", 0, 0, 100, 100, {"title": zone.title}, team=zone.team)


BOARD = DesiredBoard(
    "test", "deck", TEAMS, (PILE_A, PILE_B),
    (_frame(PILE_A), _card("equipe-a", "GOV-01"), _card("equipe-a", "GOV-02"),
     _frame(PILE_B), _card("equipe-b", "GOV-01")),
)  # fmt: skip


def _act(kind: ActionKind, key: str, type_: str = "card", *notes: Note, changes: tuple[str, ...] = ()) -> Action:
    return Action(kind, key, type_, item_id="1", notes=notes, changes=changes)


@pytest.mark.parametrize(
    ("action", "bucket"),
    [
        (_act(ActionKind.CREATE, "k", "card", Note.NEW), "create"),
        (_act(ActionKind.CREATE, "k", "card", Note.RESTORED), "create"),
        (_act(ActionKind.UPDATE, "k", "card", Note.DECK_CHANGED, changes=("data.title",)), "update"),
        (_act(ActionKind.DELETE, "k", "card", Note.REMOVED_FROM_DECK), "delete"),
        (_act(ActionKind.CONFLICT, "k", "card", Note.EDITED_ON_BOARD), "conflict"),
        (_act(ActionKind.KEEP, "k", "card"), "keep"),
        (_act(ActionKind.KEEP, "k", "card", Note.MOVED_BY_PARTICIPANTS), "moved"),
        (_act(ActionKind.KEEP, "k", "sticky_note", Note.EDITED_ON_BOARD), "edited"),
        (_act(ActionKind.KEEP, "k", "card", Note.UNCERTAIN), "edited"),
        (_act(ActionKind.KEEP, "k", "card", Note.DELETED_ON_BOARD), "deleted"),
        (_act(ActionKind.KEEP, "k", "card", Note.REMOVED_FROM_DECK), "removed"),
        (_act(ActionKind.KEEP, "k", "sticky_note", Note.TOUCHED), "touched"),
    ],
)
def test_each_action_counts_in_one_bucket(action: Action, bucket: str) -> None:
    assert _bucket(action) == bucket


def test_first_push_lists_each_zone_of_each_team_by_its_board_name() -> None:
    plan = Plan("b", tuple(_act(ActionKind.CREATE, i.key, i.type, Note.NEW) for i in BOARD.items))
    text = render_plan_summary(plan, BOARD)
    assert text.splitlines() == [
        "Équipe A",
        "  La pioche — à créer\u00a0: 1 zone, 2 cartes",
        "Équipe B",
        "  La pioche — à créer\u00a0: 1 zone, 1 carte",
        "",
        "Plan : 5 à créer, 0 à modifier, 0 à supprimer.",
    ]
    assert "zone:" not in text and "card:" not in text  # no internal keys


def test_a_team_with_nothing_to_do_takes_one_line_and_decisions_come_last() -> None:
    plan = Plan(
        "b",
        (
            _act(ActionKind.KEEP, "equipe-a/zone:pioche", "frame"),
            _act(ActionKind.KEEP, "equipe-a/card:GOV-01", "card", Note.MOVED_BY_PARTICIPANTS),
            _act(ActionKind.CONFLICT, "equipe-a/card:GOV-02", "card", Note.EDITED_ON_BOARD, changes=("data.title",)),
            _act(ActionKind.KEEP, "equipe-a/card:OLD-01", "card", Note.REMOVED_FROM_DECK),
            _act(ActionKind.KEEP, "equipe-b/zone:pioche", "frame"),
            _act(ActionKind.KEEP, "equipe-b/card:GOV-01", "card"),
        ),
    )
    lines = render_plan_summary(plan, BOARD, refused=["--teams 1 (le tableau : 2 équipe(s))"]).splitlines()
    assert lines[0] == "Équipe A"
    assert lines[1] == "  La pioche — les participants ont déplacé 1 carte (laissé tel quel) ; conflits\u00a0: 1 carte"
    assert lines[2] == "  plus dans le deck ni la disposition — retirés du deck, en attente de --prune\u00a0: 1 carte"
    assert lines[3] == "Équipe B\u00a0: à jour (1 zone, 1 carte)"
    decide = lines[lines.index("À décider :") + 1 :]
    assert decide.pop(0).startswith("  ! --teams 1 (le tableau : 2 équipe(s)) — option qui contredit le tableau")
    assert decide[0].startswith("  ! Équipe A · La pioche — carte « GOV-02 · Une action » : modifié sur le tableau")
    assert decide[0].endswith("--force pour écraser")
    assert (
        decide[1] == "  ! Équipe A — carte « OLD-01 » : retiré du deck ou de la disposition — --prune pour le supprimer"
    )
    assert lines[-1] == "Aucun changement : le tableau est à jour."


def test_many_decisions_are_cut_with_a_pointer_to_verbose() -> None:
    plan = Plan(
        "b", tuple(_act(ActionKind.KEEP, f"equipe-a/card:X-{n:02d}", "card", Note.DELETED_ON_BOARD) for n in range(20))
    )
    lines = render_plan_summary(plan, BOARD).splitlines()
    assert sum(line.startswith("  ! ") for line in lines) == 12
    assert "  … et 8 autre(s) : --verbose pour la liste complète" in lines


def test_english_summary() -> None:
    plan = Plan("b", tuple(_act(ActionKind.CREATE, i.key, i.type, Note.NEW) for i in BOARD.items))
    text = render_plan_summary(plan, BOARD, lang="en")
    assert "  La pioche — to create: 1 zone, 2 cards" in text.splitlines()
    assert text.endswith("Plan: 5 to create, 0 to update, 0 to delete.\n")


def test_teams_with_the_same_summary_share_one_block() -> None:
    same = [i for i in BOARD.items if i.key != "equipe-a/card:GOV-02"]
    plan = Plan("b", tuple(_act(ActionKind.CREATE, i.key, i.type, Note.NEW) for i in same))
    assert render_plan_summary(plan, BOARD).splitlines()[:2] == [
        "Équipe A, Équipe B (chacune)",
        "  La pioche — à créer\u00a0: 1 zone, 1 carte",
    ]


def test_a_zone_line_says_what_participants_did_and_what_stays() -> None:
    cards = tuple(_card("equipe-a", f"GOV-0{n}") for n in range(1, 5))
    board = DesiredBoard("test", "deck", TEAMS[:1], (PILE_A,), (_frame(PILE_A), *cards))
    plan = Plan(
        "b",
        (
            _act(ActionKind.KEEP, "equipe-a/zone:pioche", "frame"),
            _act(ActionKind.KEEP, "equipe-a/card:GOV-01", "card", Note.MOVED_BY_PARTICIPANTS),
            _act(ActionKind.KEEP, "equipe-a/card:GOV-02", "card", Note.EDITED_ON_BOARD),
            _act(ActionKind.KEEP, "equipe-a/card:GOV-03", "card", Note.DELETED_ON_BOARD),
            _act(ActionKind.KEEP, "equipe-a/card:GOV-04", "card"),
        ),
    )
    assert render_plan_summary(plan, board).splitlines()[1] == (
        "  La pioche — les participants ont déplacé 1 carte, modifié 1 carte, supprimé 1 carte (laissé tel quel) ; "
        "sans changement\u00a0: 1 carte"
    )
    assert render_plan_summary(plan, board, lang="en").splitlines()[1] == (
        "  La pioche — participants moved 1 card, edited 1 card, deleted 1 card (left as is); unchanged: 1 card"
    )


def test_english_decision_lines_use_english_punctuation() -> None:
    plan = Plan("b", (_act(ActionKind.KEEP, "equipe-a/card:GOV-01", "card", Note.DELETED_ON_BOARD),))
    assert "  ! Équipe A · La pioche — card “GOV-01 · Une action”: deleted on the board by participants — " in (
        render_plan_summary(plan, BOARD, lang="en")
    )
