"""Placement rules of the local board: each item type's geometry, and positions inside frames.

One responsibility: the pure geometry Miro applies to an item, as the engine's docstring lists it
(card height follows its width, sticky notes keep their ratio, texts grow with their content,
frames are at least 100 × 100; a child's centre lies inside its frame, positions relative to the
frame's top-left corner). Functions read a board (never change it) and build or place a new
record that the caller stores.
"""

from __future__ import annotations

import math
import re

from gria_miro.localboard.apierror import ApiError, invalid
from gria_miro.localboard.records import JSON, Position, StoredBoard, StoredItem
from gria_miro.localboard.richtext import clean_data
from gria_miro.localboard.schemas import Problem

CARD_RATIO = 94 / 320
STICKY_SIZE = {"square": (199.0, 228.0), "rectangle": (350.0, 228.0)}
DEFAULT_SIZE = {"frame": (100.0, 100.0), "shape": (200.0, 200.0), "card": (320.0, 94.0), "app_card": (320.0, 94.0)}
DEFAULT_DATA: dict[str, JSON] = {
    "frame": {"format": "custom", "title": "", "type": "freeform", "showContent": True},
    "card": {"title": ""},
    "app_card": {"title": "sample app card item", "status": "disconnected"},
    "sticky_note": {"content": "", "shape": "square"},
    "shape": {"content": "", "shape": "rectangle"},
    "text": {"content": ""},
}
DEFAULT_STYLE: dict[str, JSON] = {
    "frame": {"fillColor": "#ffffffff"},
    "card": {"cardTheme": "#2d9bf0"},
    "app_card": {"fillColor": "#2d9bf0"},
    "sticky_note": {"fillColor": "light_yellow", "textAlign": "center", "textAlignVertical": "top"},
    "shape": {
        "fillColor": "#ffffff", "fillOpacity": "1.0", "fontFamily": "arial", "fontSize": "14", "color": "#1a1a1a",
        "textAlign": "center", "textAlignVertical": "middle", "borderColor": "#1a1a1a", "borderOpacity": "1.0",
        "borderStyle": "normal", "borderWidth": "2.0",
    },
    "text": {"color": "#1a1a1a", "fillOpacity": "1.0", "fontFamily": "arial", "fontSize": "14", "textAlign": "left"},
}  # fmt: skip
_TAG_RE = re.compile(r"<[^>]*>")

#: Frames a bulk request refers to before they are stored (none today: ids are unknown before the call).
Pending = dict[str, StoredItem]


def _font_size(style: JSON) -> float:
    return float(style.get("fontSize", "14"))


def _text_height(content: str, width: float, font_size: float) -> float:
    plain = _TAG_RE.sub("", content)
    chars_per_line = max(1, int(width / (font_size * 0.55)))
    lines = max(1, math.ceil(len(plain) / chars_per_line)) + content.count("<br") + max(0, content.count("<p") - 1)
    return round(lines * font_size * 1.4, 2)


def _pick(sent: JSON, current: JSON | None, name: str, default: float) -> float:
    """The value sent for ``name``, else the current one, else the default."""
    if name in sent:
        return float(sent[name])
    if current is not None and name in current:
        return float(current[name])
    return default


def item_geometry(
    item_type: str, data: JSON, style: JSON, sent: JSON, current: JSON | None
) -> tuple[JSON, list[Problem]]:
    """The stored geometry of an item after a create (``current`` None) or an update."""
    problems: list[Problem] = []
    for name in ("width", "height"):
        if name in sent and sent[name] <= 0:
            problems.append((f"geometry.{name}", f"Field [geometry.{name}] must be greater than 0"))
    if problems:
        return {}, problems
    rotation = _pick(sent, current, "rotation", 0.0)
    if item_type == "sticky_note":
        if "width" in sent and "height" in sent:
            return {}, [("geometry", "Only one of width or height can be set for a sticky note")]
        ratio_w, ratio_h = STICKY_SIZE[data.get("shape", "square")]
        if "height" in sent:
            width = float(sent["height"]) * ratio_w / ratio_h
        else:
            width = _pick(sent, current, "width", ratio_w)
        return {"width": round(width, 2), "height": round(width * ratio_h / ratio_w, 2)}, []
    if item_type == "text":
        width = _pick(sent, current, "width", 320.0)
        if width < 1.7 * _font_size(style):
            return {}, [("geometry.width", "Field [geometry.width] must be at least 1.7 times the font size")]
        height = _text_height(data.get("content", ""), width, _font_size(style))
        return {"width": width, "height": height, "rotation": rotation}, []
    default_w, default_h = DEFAULT_SIZE[item_type]
    width = _pick(sent, current, "width", default_w)
    if item_type in ("card", "app_card"):
        return {"width": width, "height": float(round(width * CARD_RATIO)), "rotation": rotation}, []
    height = _pick(sent, current, "height", default_h)
    if item_type == "frame":
        if width < 100 or height < 100:
            return {}, [("geometry", "A frame must be at least 100 x 100")]
        return {"width": width, "height": height}, []
    return {"width": width, "height": height, "rotation": rotation}, []


def absolute(board: StoredBoard, item: StoredItem) -> tuple[float, float]:
    """Centre of ``item`` relative to the canvas centre."""
    x, y = float(item["position"]["x"]), float(item["position"]["y"])
    parent_id = item.get("parent")
    if parent_id:
        px, py = absolute(board, board["items"][parent_id])
        frame = board["items"][parent_id]["geometry"]
        return px - frame["width"] / 2 + x, py - frame["height"] / 2 + y
    return x, y


def inside(frame: StoredItem, x: float, y: float) -> bool:
    """Whether a child centred at (x, y) from ``frame``'s top-left corner lies inside it."""
    return bool(0 <= x <= frame["geometry"]["width"] and 0 <= y <= frame["geometry"]["height"])


def outside_parent(prefix: str = "") -> ApiError:
    """400: the centre of a child must lie inside its frame."""
    return invalid([("position", "new position is outside of parent boundaries")], prefix=prefix)


def place(
    board: StoredBoard,
    item: StoredItem,
    body: JSON,
    *,
    creating: bool,
    pending: Pending | None = None,
    prefix: str = "",
) -> None:
    """Set ``item['parent']`` and ``item['position']`` from a request body (frames are never children)."""
    old_parent = item.get("parent")
    parent_id = old_parent
    if "parent" in body:
        if item["type"] == "frame":
            raise invalid([("parent", "Field [parent] is not supported: frames cannot have a parent")], prefix=prefix)
        sent_parent = body["parent"]
        if not isinstance(sent_parent, dict):  # the schemas refuse it first; never let it become a 500
            raise invalid([("parent", "Field [parent] must be an object")], prefix=prefix)
        parent_id = sent_parent.get("id")
        if parent_id is None:
            raise invalid([("parent.id", "Field [parent.id] is required")], prefix=prefix)
        parent = (pending or {}).get(parent_id) or board["items"].get(parent_id)
        if parent is None or parent["type"] != "frame":
            raise invalid([("parent.id", f"Parent item {parent_id} is not a frame of this board")], prefix=prefix)
    sent = body.get("position")
    if creating:
        position: Position = {"x": float((sent or {}).get("x", 0)), "y": float((sent or {}).get("y", 0))}
    elif sent is not None:
        current = item["position"]
        if parent_id != old_parent:  # a coordinate left out is kept where the item is, seen from the new frame
            current = relative_to(board, item, parent_id)
        position = {"x": float(sent.get("x", current["x"])), "y": float(sent.get("y", current["y"]))}
    elif parent_id != old_parent:
        position = relative_to(board, item, parent_id)
    else:
        return
    if parent_id:
        frame = (pending or {}).get(parent_id) or board["items"][parent_id]
        if not inside(frame, position["x"], position["y"]):
            raise outside_parent(prefix)
    item["parent"] = parent_id
    item["position"] = position


def relative_to(board: StoredBoard, item: StoredItem, parent_id: str | None) -> Position:
    """Where ``item`` is, seen from frame ``parent_id`` (top-left origin) or from the canvas centre."""
    ax, ay = absolute(board, item)
    if not parent_id:
        return {"x": ax, "y": ay}
    frame = board["items"][parent_id]
    fx, fy = absolute(board, frame)
    return {"x": ax - (fx - frame["geometry"]["width"] / 2), "y": ay - (fy - frame["geometry"]["height"] / 2)}


def lower_hex(style: JSON) -> JSON:
    """Hex colours are echoed in lower case (PROBE)."""
    return {k: v.lower() if isinstance(v, str) and v.startswith("#") else v for k, v in style.items()}


def build_item(board: StoredBoard, item_type: str, body: JSON, now: str, pending: Pending, prefix: str) -> StoredItem:
    """A new item from a validated create body (no id yet; the board is not changed)."""
    data = clean_data(item_type, {**DEFAULT_DATA[item_type], **body.get("data", {})})
    style = lower_hex({**DEFAULT_STYLE[item_type], **body.get("style", {})})
    geometry, problems = item_geometry(item_type, data, style, body.get("geometry", {}), None)
    if problems:
        raise invalid(problems, prefix=prefix)
    item: StoredItem = {
        "id": "",
        "type": item_type,
        "data": data,
        "style": style,
        "geometry": geometry,
        "parent": None,
        "position": {"x": 0.0, "y": 0.0},
        "createdAt": now,
        "modifiedAt": now,
    }
    place(board, item, body, creating=True, pending=pending, prefix=prefix)
    return item
