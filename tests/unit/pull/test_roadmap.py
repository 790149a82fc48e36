"""Roadmap totals and consistency warnings, on hand-built boards."""

from __future__ import annotations

from datetime import date

from gria_miro.board import DesiredBoard, Team
from gria_miro.observed import Member
from gria_miro.pull.assign import assign
from gria_miro.pull.roadmap import Roadmap, WarningKind, build_roadmap
from tests.unit.pull.boards import ZONES, card, desired_board, frame_item, note, observed, small_deck

DAY = date(2025, 3, 14)


def roadmap_of(*items, desired: DesiredBoard | None = None, **kwargs) -> Roadmap:  # type: ignore[no-untyped-def]
    desired = desired or desired_board()
    board = observed(*items, **kwargs)
    return build_roadmap(small_deck(), desired, assign(desired, board), board, DAY)


def kinds(roadmap: Roadmap) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(w.kind.value, w.card, w.other, w.stage) for w in roadmap.teams[0].warnings]


def test_stages_totals_and_profile() -> None:
    roadmap = roadmap_of(
        card("GOV-01", -900, 800, assigneeId="u1"),
        card("GOV-02", -500, 800),
        card("DATA-01", 0, 800),
        card("FORM-01", 0, 0),
        members=(Member("u1", "Camille"),),
    )
    team = roadmap.teams[0]
    assert [(s.label, [c.code for c in s.cards]) for s in team.stages] == [
        ("Au départ", ["GOV-01", "GOV-02"]),
        ("En chemin", ["DATA-01"]),
    ]
    first = team.stages[0]
    assert (first.totals.cost_eur_min, first.totals.cost_eur_max, first.totals.days) == (1000, 3200, 12)
    assert first.cards[0].owner == "Camille"
    t = team.totals
    assert (t.cards, t.cost_eur_min, t.cost_eur_max, t.days) == (3, 6000, 23200, 15.5)
    assert t.difficulty == (1, 1, 1, 0)
    assert (t.formal, t.informal) == (2, 1)
    assert t.themes == ("gouvernance", "donnees")
    assert team.themes_not_covered == ("formation",)
    assert [c.code for c in team.pile] == ["FORM-01"]
    assert kinds(roadmap) == []
    assert roadmap.date == "2025-03-14" and roadmap.format_version == 1


def test_prerequisite_missing_and_later() -> None:
    roadmap = roadmap_of(
        card("GOV-02", -900, 800),  # needs GOV-01, which stays in the pile
        card("DATA-01", -500, 800),  # needs GOV-02: same stage, fine
        card("GOV-01", 0, 0),
    )
    assert ("prerequisite_missing", "GOV-02", "GOV-01", "Au départ") in kinds(roadmap)
    assert not any(k[1] == "DATA-01" for k in kinds(roadmap))
    later = roadmap_of(card("DATA-01", -900, 800), card("GOV-02", 0, 1000), card("GOV-01", -500, 800))
    assert ("prerequisite_later", "DATA-01", "GOV-02", "En chemin") in kinds(later)


def test_empty_stage_straddling_outside_and_elsewhere() -> None:
    roadmap = roadmap_of(
        card("GOV-01", -250, 1000),  # across both stages
        card("GOV-02", 5000, 0),  # outside
        card("FORM-01", 0, 1800),  # in the notes zone
        card("DATA-01", 0, 0),
    )
    got = kinds(roadmap)
    assert ("stage_empty", None, None, "Au départ") in got and ("stage_empty", None, None, "En chemin") in got
    assert ("card_outside", "GOV-02", None, None) in got
    assert ("card_elsewhere", "FORM-01", None, "Points de vigilance") in got
    straddling = next(w for w in roadmap.teams[0].warnings if w.kind == WarningKind.CARD_STRADDLING)
    assert set(straddling.zones) == {"Au départ", "En chemin"}
    assert {(u.card.code, u.status) for u in roadmap.teams[0].unplaced} == {
        ("GOV-01", "straddling"),
        ("GOV-02", "outside"),
    }
    assert roadmap.teams[0].totals.cards == 0


def test_missing_zone_and_missing_card_are_reported() -> None:
    board = observed(card("GOV-01", -700, 1000))
    items = tuple(i for i in board.items if i.id != "f-etape-2")
    board = type(board)(board.board_id, board.name, board.view_link, items)
    desired = desired_board()
    roadmap = build_roadmap(small_deck(), desired, assign(desired, board), board, DAY)
    got = kinds(roadmap)
    assert ("zone_missing", None, None, "En chemin") in got
    assert ("card_missing", "GOV-02", None, None) in got


def test_duplicate_card_and_card_added_by_the_team() -> None:
    roadmap = roadmap_of(
        card("GOV-01", -900, 800),
        card("GOV-01", 0, 800, item_id="copy"),
        card("X", 0, 1000, item_id="own", title="Atelier maison"),
    )
    assert ("duplicate_card", "GOV-01", None, "En chemin") in kinds(roadmap)
    second = roadmap.teams[0].stages[1]
    assert [(c.code, c.title, c.from_deck) for c in second.cards] == [
        ("GOV-01", "Titre de GOV-01", True),
        (None, "Atelier maison", False),
    ]
    assert second.totals.not_from_deck == 1 and second.totals.cards == 2


def test_participants_and_notes_reach_the_team() -> None:
    roadmap = roadmap_of(
        note("p1", "Camille — cheffe de projet", 1100, 900),
        note("n1", "Attention au RGPD", 0, 1800),
        note("n2", "Perdue", 9000, 9000),
    )
    team = roadmap.teams[0]
    assert [(p.name, p.role) for p in team.participants] == [("Camille", "cheffe de projet")]
    assert [(n.zone, n.notes) for n in team.notes] == [("Points de vigilance", ("Attention au RGPD",))]
    assert [(n.zone, n.notes) for n in roadmap.notes] == [("", ("Perdue",))]


def test_two_teams_give_two_roadmaps_and_a_comparison() -> None:
    other_zones = tuple(
        type(z)(
            z.key.replace("equipe/", "autre/"),
            "autre",
            z.zone_id,
            z.role,
            z.label,
            f"B · {z.label}",
            z.order,
            z.x + 5000,
            z.y,
            z.width,
            z.height,
        )
        for z in ZONES
    )
    base = desired_board()
    desired = DesiredBoard(
        "test",
        "Deck de test",
        (Team("equipe", "A"), Team("autre", "B")),
        ZONES + other_zones,
        base.items + tuple(frame_item(z) for z in other_zones),
    )
    extra_frames = [
        type(f)(
            id=f"g-{z.zone_id}", type="frame", x=z.x, y=z.y, width=z.width, height=z.height, data={"title": z.title}
        )
        for z, f in zip(other_zones, observed().items, strict=False)
    ]
    roadmap = roadmap_of(
        *extra_frames,
        card("GOV-01", -700, 1000),
        card("GOV-02", -700, 1200),
        card("GOV-01", 4300, 1000, item_id="b-gov"),
        desired=desired,
    )
    assert [t.team_name for t in roadmap.teams] == ["A", "B"]
    assert [c.code for s in roadmap.teams[1].stages for c in s.cards] == ["GOV-01"]
    assert roadmap.comparison is not None
    assert [(r.team_name, r.cards) for r in roadmap.comparison.rows] == [("A", 2), ("B", 1)]
    assert roadmap.comparison.common_cards == ("GOV-01",)


def test_json_form_is_strict_and_round_trips() -> None:
    roadmap = roadmap_of(card("GOV-01", -700, 1000))
    again = Roadmap.model_validate_json(roadmap.model_dump_json())
    assert again == roadmap
