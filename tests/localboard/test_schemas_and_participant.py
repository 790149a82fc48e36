"""The local board's request schemas match the official spec; participants act through the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gria_miro.localboard import participant, schemas
from gria_miro.localboard.adapter import local_session, open_local_board

SUBSET = Path(__file__).resolve().parents[1] / "data" / "miro_spec_subset.json"
SPEC_NAMES = {
    "frame": ("FrameCreateRequest", "FrameUpdateRequest"),
    "card": ("CardCreateRequest", "CardUpdateRequest"),
    "app_card": ("AppCardCreateRequest", "AppCardUpdateRequest"),
    "sticky_note": ("StickyNoteCreateRequest", "StickyNoteUpdateRequest"),
    "shape": ("ShapeCreateRequest", "ShapeUpdateRequest"),
    "text": ("TextCreateRequest", "TextUpdateRequest"),
}


def _spec_fields(node: dict[str, Any], components: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Field path → enum (or None) of a spec schema, following $ref."""
    if "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[-1]]
    out: dict[str, Any] = {}
    for name, sub in node.get("properties", {}).items():
        if "$ref" in sub:
            out.update(_spec_fields(sub, components, f"{prefix}{name}."))
        elif sub.get("type") == "array":
            out[f"{prefix}{name}"] = None
        else:
            out[f"{prefix}{name}"] = tuple(sub["enum"]) if "enum" in sub else None
    return out


def _local_fields(node: schemas.Schema, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    assert isinstance(node, schemas.Obj)
    for name, sub in node.fields.items():
        if isinstance(sub, schemas.Obj):
            out.update(_local_fields(sub, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = sub.enum if isinstance(sub, schemas.Str) else None
    return out


@pytest.mark.parametrize("item_type", sorted(SPEC_NAMES))
def test_item_schemas_have_the_spec_fields_and_enums(item_type: str) -> None:
    if not SUBSET.exists():
        pytest.skip("spec subset absent")
    components = json.loads(SUBSET.read_text(encoding="utf-8"))["components"]["schemas"]
    create_name, update_name = SPEC_NAMES[item_type]
    kind = schemas.KINDS[item_type]
    for local, name in ((kind.create, create_name), (kind.update, update_name)):
        spec = _spec_fields(components[name], components)
        mine = _local_fields(local)
        assert set(mine) == set(spec), name
        for path, enum in spec.items():
            if enum is not None and path != "data.shape":  # shape types: the spec lists them in the description
                assert mine[path] is not None and set(mine[path]) >= set(enum), (name, path)


def test_a_participant_moves_a_card_into_a_zone_and_fills_it_in(tmp_path: Path) -> None:
    target = open_local_board(tmp_path / "b.json")
    session, base, board = local_session(target), target.base_url, target.board_id
    zone = session.post(f"{base}/v2/boards/{board}/frames", json={"data": {"title": "Étape 1"},
                        "geometry": {"width": 600, "height": 400}}).json()  # fmt: skip
    card = session.post(f"{base}/v2/boards/{board}/cards", json={"data": {"title": "GOV-03"}}).json()
    moved = participant.move_item(session, base, board, card["id"], 300, 200, parent_id=zone["id"])
    assert moved["parent"]["id"] == zone["id"]
    member = participant.add_member(target.adapter.engine, board, "Camille")
    assert participant.set_assignee(session, base, board, card["id"], member)["data"]["assigneeId"] == member
    assert participant.set_due_date(session, base, board, card["id"], "2026-10-12T22:00:00Z")["data"]["dueDate"]
    note = participant.add_sticky_note(session, base, board, "Qui pilote ?", 50, 50, parent_id=zone["id"])
    assert note["parent"]["id"] == zone["id"]
    participant.delete_item(session, base, board, note["id"])
    assert session.get(f"{base}/v2/boards/{board}/items/{note['id']}").status_code == 404
