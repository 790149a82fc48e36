"""The request-body schemas the local board checks, transcribed from Miro's official OpenAPI spec.

One responsibility: say whether a JSON request body is acceptable, as strictly as Miro does.
Miro's spec never sets ``additionalProperties``, but the live API refuses unknown fields at every
level (``400 Field [metadata] is not supported``, notes §4), so every object here is closed.
Enums, "numbers written as strings" style values and ``int64``/``date-time`` formats follow the
spec (``components.schemas.*CreateRequest`` / ``*UpdateRequest``); ``tests/localboard`` compares
these tables with ``../shared/miro-openapi/spec.json`` when it is present.

The validator returns problems as ``(field path, message)`` pairs; the engine turns them into
Miro's error body. Nothing here performs I/O.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Problem = tuple[str, str]

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_INT64 = re.compile(r"^[0-9]{1,19}$")


@dataclass(frozen=True)
class Str:
    """A JSON string, optionally an enum, a number written as a string (``rng``), or a format."""

    enum: tuple[str, ...] | None = None
    rng: tuple[float, float | None] | None = None
    fmt: str | None = None  # "int64" | "date-time" | "hex"
    max_length: int | None = None
    min_length: int = 0


@dataclass(frozen=True)
class Num:
    """A JSON number (not a boolean, not a string)."""


@dataclass(frozen=True)
class Bool:
    """A JSON boolean."""


@dataclass(frozen=True)
class Opaque:
    """A JSON object the local board stores without looking inside (board ``policy``)."""


@dataclass(frozen=True)
class Arr:
    """A JSON array of ``item``."""

    item: Schema


@dataclass(frozen=True)
class Obj:
    """A closed JSON object: unknown fields are refused."""

    fields: dict[str, Schema] = field(default_factory=dict)
    required: tuple[str, ...] = ()


Schema = Str | Num | Bool | Opaque | Arr | Obj


def validate(schema: Schema, value: Any, path: str = "") -> list[Problem]:
    """Every problem of ``value`` against ``schema`` (empty when acceptable)."""
    where = path or "body"
    if isinstance(schema, Obj):
        if not isinstance(value, dict):
            return [(where, f"Field [{where}] must be an object")]
        problems: list[Problem] = []
        for name in value:
            if name not in schema.fields:
                problems.append((_join(path, name), f"Field [{name}] is not supported"))
        for name in schema.required:
            if name not in value:
                problems.append((_join(path, name), f"Field [{name}] is required"))
        for name, sub in schema.fields.items():
            if name in value:
                problems.extend(validate(sub, value[name], _join(path, name)))
        return problems
    if isinstance(schema, Arr):
        if not isinstance(value, list):
            return [(where, f"Field [{where}] must be an array")]
        return [p for i, v in enumerate(value) for p in validate(schema.item, v, f"{where}[{i}]")]
    if isinstance(schema, Num):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return [(where, f"Field [{where}] must be a number")]
        return []
    if isinstance(schema, Bool):
        return [] if isinstance(value, bool) else [(where, f"Field [{where}] must be a boolean")]
    if isinstance(schema, Opaque):
        return [] if isinstance(value, dict) else [(where, f"Field [{where}] must be an object")]
    return _validate_str(schema, value, where)


def _validate_str(schema: Str, value: Any, where: str) -> list[Problem]:
    if not isinstance(value, str):
        return [(where, f"Field [{where}] must be a string")]
    if schema.enum is not None and value not in schema.enum:
        return [(where, f"Field [{where}] has an unexpected value [{value}]; expected one of {list(schema.enum)}")]
    if len(value) < schema.min_length:
        return [(where, f"Field [{where}] must be at least {schema.min_length} characters")]
    if schema.max_length is not None and len(value) > schema.max_length:
        return [(where, f"Field [{where}] must be at most {schema.max_length} characters")]
    if schema.rng is not None:
        low, high = schema.rng
        try:
            number = float(value)
        except ValueError:
            return [(where, f"Field [{where}] must be a number written as a string")]
        if not math.isfinite(number) or number < low or (high is not None and number > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            return [(where, f"Field [{where}] must be {bounds}")]
    if schema.fmt == "int64" and not _INT64.match(value):
        return [(where, f"Field [{where}] must be an int64 identifier")]
    if schema.fmt == "hex" and not _HEX_COLOUR.match(value):
        return [(where, f"Field [{where}] must be a hex colour like #ff9d48")]
    if schema.fmt == "date-time":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return [(where, f"Field [{where}] must be an ISO-8601 date-time")]
        if parsed.tzinfo is None:
            return [(where, f"Field [{where}] must be an ISO-8601 date-time with a time zone")]
    return []


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --- enums (spec) -----------------------------------------------------------------------------

STICKY_COLOURS = (
    "gray", "light_yellow", "yellow", "orange", "light_green", "green", "dark_green", "cyan",
    "light_pink", "pink", "violet", "red", "light_blue", "blue", "dark_blue", "black",
)  # fmt: skip
TAG_COLOURS = (
    "red", "light_green", "cyan", "yellow", "magenta", "green", "blue", "gray", "violet", "dark_green",
    "dark_blue", "black",
)  # fmt: skip
BASIC_SHAPES = (
    "rectangle", "round_rectangle", "circle", "triangle", "rhombus", "parallelogram", "trapezoid", "pentagon",
    "hexagon", "octagon", "wedge_round_rectangle_callout", "star", "flow_chart_predefined_process", "cloud",
    "cross", "can", "right_arrow", "left_arrow", "left_right_arrow", "left_brace", "right_brace",
)  # fmt: skip
FLOWCHART_SHAPES = (
    "flow_chart_connector", "flow_chart_magnetic_disk", "flow_chart_input_output", "flow_chart_decision",
    "flow_chart_delay", "flow_chart_display", "flow_chart_document", "flow_chart_magnetic_drum",
    "flow_chart_internal_storage", "flow_chart_manual_input", "flow_chart_manual_operation", "flow_chart_merge",
    "flow_chart_multidocuments", "flow_chart_note_curly_left", "flow_chart_note_curly_right",
    "flow_chart_note_square", "flow_chart_offpage_connector", "flow_chart_or", "flow_chart_predefined_process_2",
    "flow_chart_preparation", "flow_chart_process", "flow_chart_online_storage", "flow_chart_summing_junction",
    "flow_chart_terminator",
)  # fmt: skip
FONT_FAMILIES = (
    "arial", "abril_fatface", "bangers", "eb_garamond", "georgia", "graduate", "gravitas_one", "fredoka_one",
    "nixie_one", "open_sans", "permanent_marker", "pt_sans", "pt_sans_narrow", "pt_serif", "rammetto_one",
    "roboto", "roboto_condensed", "roboto_slab", "caveat", "times_new_roman", "titan_one", "lemon_tuesday",
    "roboto_mono", "noto_sans", "plex_sans", "plex_serif", "plex_mono", "spoof", "tiempos_text", "formular",
)  # fmt: skip
ALIGN = ("left", "right", "center")
ALIGN_VERTICAL = ("top", "middle", "bottom")

# --- building blocks ----------------------------------------------------------------------------

HEX = Str(fmt="hex")
POSITION = Obj({"x": Num(), "y": Num()})
PARENT = Obj({"id": Str(fmt="int64")})
GEOMETRY = Obj({"width": Num(), "height": Num(), "rotation": Num()})
GEOMETRY_NO_ROTATION = Obj({"width": Num(), "height": Num()})
GEOMETRY_WIDTH_ONLY = Obj({"width": Num(), "rotation": Num()})

FRAME_DATA = Obj(
    {"format": Str(enum=("custom",)), "title": Str(), "type": Str(enum=("freeform",)), "showContent": Bool()}
)
CARD_DATA = Obj({"assigneeId": Str(fmt="int64"), "description": Str(), "dueDate": Str(fmt="date-time"), "title": Str()})
CUSTOM_FIELD = Obj(
    {
        "fillColor": HEX,
        "iconShape": Str(enum=("round", "square")),
        "iconUrl": Str(),
        "textColor": HEX,
        "tooltip": Str(),
        "value": Str(),
    }
)
APP_CARD_DATA = Obj(
    {
        "description": Str(),
        "fields": Arr(CUSTOM_FIELD),
        "status": Str(enum=("disconnected", "connected", "disabled")),
        "title": Str(),
    }
)
STICKY_DATA = Obj({"content": Str(), "shape": Str(enum=("square", "rectangle"))})
SHAPE_DATA = Obj({"content": Str(), "shape": Str(enum=BASIC_SHAPES + FLOWCHART_SHAPES)})
TEXT_DATA_CREATE = Obj({"content": Str()}, required=("content",))

FRAME_STYLE = Obj({"fillColor": HEX})
CARD_STYLE = Obj({"cardTheme": HEX})
APP_CARD_STYLE = Obj({"fillColor": HEX})
STICKY_STYLE = Obj(
    {"fillColor": Str(enum=STICKY_COLOURS), "textAlign": Str(enum=ALIGN), "textAlignVertical": Str(enum=ALIGN_VERTICAL)}
)
SHAPE_STYLE = Obj(
    {
        "borderColor": HEX,
        "borderOpacity": Str(rng=(0, 1)),
        "borderStyle": Str(enum=("normal", "dotted", "dashed")),
        "borderWidth": Str(rng=(1, 24)),
        "color": HEX,
        "fillColor": HEX,
        "fillOpacity": Str(rng=(0, 1)),
        "fontFamily": Str(enum=FONT_FAMILIES),
        "fontSize": Str(rng=(10, 288)),
        "textAlign": Str(enum=ALIGN),
        "textAlignVertical": Str(enum=ALIGN_VERTICAL),
    }
)
#: ``ShapeStyleForCreate`` also allows ``unknown`` alignments (the update form does not).
SHAPE_STYLE_CREATE = Obj(
    {
        **SHAPE_STYLE.fields,
        "textAlign": Str(enum=(*ALIGN, "unknown")),
        "textAlignVertical": Str(enum=(*ALIGN_VERTICAL, "unknown")),
    }
)
TEXT_STYLE = Obj(
    {
        "color": HEX,
        "fillColor": HEX,
        "fillOpacity": Str(rng=(0, 1)),
        "fontFamily": Str(enum=FONT_FAMILIES),
        "fontSize": Str(rng=(1, None)),
        "textAlign": Str(enum=ALIGN),
    }
)


@dataclass(frozen=True)
class ItemKind:
    """One item type the local board serves: its path segment and request schemas."""

    type: str
    segment: str
    create: Obj
    update: Obj


def _item_request(data: Obj, style: Obj, geometry: Obj, *, parent: bool = True, required: tuple[str, ...] = ()) -> Obj:
    fields: dict[str, Schema] = {"data": data, "style": style, "position": POSITION, "geometry": geometry}
    if parent:
        fields["parent"] = PARENT
    return Obj(fields, required=required)


def _loosen(request: Obj) -> Obj:
    """The update form of a create request: no required field (``TextUpdateRequest.data``)."""
    data = request.fields["data"]
    fields = dict(request.fields)
    if isinstance(data, Obj):
        fields["data"] = Obj(data.fields)
    return Obj(fields)


_FRAME = _item_request(FRAME_DATA, FRAME_STYLE, GEOMETRY_NO_ROTATION, parent=False, required=("data",))
_CARD = _item_request(CARD_DATA, CARD_STYLE, GEOMETRY)
_APP_CARD = _item_request(APP_CARD_DATA, APP_CARD_STYLE, GEOMETRY)
_STICKY = _item_request(STICKY_DATA, STICKY_STYLE, GEOMETRY_NO_ROTATION)
_SHAPE = _item_request(SHAPE_DATA, SHAPE_STYLE_CREATE, GEOMETRY)
_SHAPE_UPDATE = _item_request(SHAPE_DATA, SHAPE_STYLE, GEOMETRY)
_TEXT = _item_request(TEXT_DATA_CREATE, TEXT_STYLE, GEOMETRY_WIDTH_ONLY, required=("data",))

KINDS: dict[str, ItemKind] = {
    kind.type: kind
    for kind in (
        ItemKind("frame", "frames", _FRAME, Obj(dict(_FRAME.fields))),
        ItemKind("card", "cards", _CARD, _CARD),
        ItemKind("app_card", "app_cards", _APP_CARD, _APP_CARD),
        ItemKind("sticky_note", "sticky_notes", _STICKY, _STICKY),
        ItemKind("shape", "shapes", _SHAPE, _SHAPE_UPDATE),
        ItemKind("text", "texts", _TEXT, _loosen(_TEXT)),
    )
}
KIND_BY_SEGMENT: dict[str, ItemKind] = {kind.segment: kind for kind in KINDS.values()}

#: ``PATCH /items/{id}``: ``GenericItemUpdate`` (move or re-parent only).
GENERIC_UPDATE = Obj({"parent": PARENT, "position": POSITION})

#: Item types the spec's bulk ``ItemTypeChange`` allows but the local board does not keep.
BULK_UNSERVED_TYPES = ("image", "document", "embed")

TAG_CREATE = Obj({"title": Str(max_length=120), "fillColor": Str(enum=TAG_COLOURS)}, required=("title",))
TAG_UPDATE = Obj({"title": Str(max_length=120), "fillColor": Str(enum=TAG_COLOURS)})
BOARD_CREATE = Obj(
    {
        "name": Str(max_length=60, min_length=1),
        "description": Str(max_length=300),
        "teamId": Str(),
        "projectId": Str(),
        "policy": Opaque(),
    }
)


def bulk_element(item_type: str) -> Obj:
    """The schema of one bulk ``ItemCreate`` element of ``item_type`` (validated per type, notes §1)."""
    create = KINDS[item_type].create
    return Obj({"type": Str(), **create.fields}, required=("type", *create.required))
