"""Request bodies for Miro, built from desired items (pure; validated against the spec in tests)."""

from __future__ import annotations

from typing import Any

from gria_miro.board import DesiredItem
from gria_miro.sync.identity import SEALED_TYPES, seal_line


def sealed_data(item: DesiredItem) -> dict[str, Any]:
    """``item.data`` as sent: a card's description ends with its seal (provenance, see sync/identity.py)."""
    data = dict(item.data)
    if item.type in SEALED_TYPES:
        data["description"] = str(data.get("description") or "") + seal_line(item)
    return data


def create_body(item: DesiredItem, parent_id: str | None, *, bulk: bool) -> dict[str, Any]:
    """The body that creates ``item`` (an element of a bulk array when ``bulk``)."""
    body: dict[str, Any] = {"type": item.type} if bulk else {}
    body["data"] = sealed_data(item)
    if item.style:
        body["style"] = dict(item.style)
    body["position"] = item.position_body()
    body["geometry"] = item.geometry_body()
    if item.parent_key is not None:
        if parent_id is None:
            raise ValueError(f"{item.key}: parent {item.parent_key} has no Miro id yet")
        body["parent"] = {"id": parent_id}
    return body


def update_body(item: DesiredItem, parent_id: str | None, *, move: bool) -> dict[str, Any]:
    """The PATCH body: content and style always; position and parent only when ``move``."""
    body: dict[str, Any] = {"data": sealed_data(item)}
    if item.type == "frame":
        # a frame's data may only carry title/format/type/showContent; size follows the layout
        body["geometry"] = item.geometry_body()
    if item.style:
        body["style"] = dict(item.style)
    if move:
        body["position"] = item.position_body()
        if item.parent_key is not None and parent_id is not None:
            body["parent"] = {"id": parent_id}
    return body
