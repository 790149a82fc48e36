"""Wire models: Miro's JSON as it comes back, tolerant of fields they do not know.

Separate from the domain models (deck, layout, observed board): these only give names and
types to what Miro sends, keep every unknown field (``extra="allow"``) and never reject a
response because Miro added something. Conversion to absolute positions is in ``geometry``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are kept, nothing is required beyond identity."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class WirePosition(WireModel):
    x: float = 0.0
    y: float = 0.0
    origin: str | None = None
    #: ``canvas_center`` (top-level item) or ``parent_top_left`` (child of a frame).
    relative_to: str | None = Field(default=None, alias="relativeTo")


class WireGeometry(WireModel):
    width: float | None = None
    height: float | None = None
    rotation: float | None = None


class WireRef(WireModel):
    """``parent``, ``createdBy``, ``modifiedBy``: an object with an id."""

    id: str | None = None


class WireItem(WireModel):
    """One board item (frame, card, app card, sticky note, shape, text, or anything else)."""

    id: str
    type: str = "unknown"
    data: dict[str, Any] | None = None
    style: dict[str, Any] | None = None
    position: WirePosition | None = None
    geometry: WireGeometry | None = None
    parent: WireRef | None = None
    created_at: str | None = Field(default=None, alias="createdAt")
    modified_at: str | None = Field(default=None, alias="modifiedAt")
    created_by: WireRef | None = Field(default=None, alias="createdBy")
    modified_by: WireRef | None = Field(default=None, alias="modifiedBy")

    @property
    def parent_id(self) -> str | None:
        return self.parent.id if self.parent is not None and self.parent.id else None


class WireBoard(WireModel):
    id: str
    name: str | None = None
    description: str | None = None
    view_link: str | None = Field(default=None, alias="viewLink")


class WireTag(WireModel):
    id: str
    title: str = ""
    fill_color: str | None = Field(default=None, alias="fillColor")


class WireMember(WireModel):
    id: str
    name: str = ""
    role: str | None = None


class WireCursorPage(WireModel):
    """A page of ``GET …/items``: ``total`` is informative only, the cursor drives the loop."""

    data: list[dict[str, Any]] = Field(default_factory=list)
    cursor: str | None = None
    total: int | None = None
    size: int | None = None


class WireOffsetPage(WireModel):
    """A page of an offset-paged listing (tags, members, items by tag)."""

    data: list[dict[str, Any]] = Field(default_factory=list)
    total: int | None = None
    size: int | None = None
    offset: int | None = None
    limit: int | None = None


class WireNamed(WireModel):
    """``organization``, ``team``, ``user``, ``createdBy`` of a token: a type, a name and an id."""

    id: str | None = None
    name: str | None = None
    type: str | None = None


#: The scope a token needs to change a board (notes §1).
WRITE_SCOPE = "boards:write"


class WireTokenInfo(WireModel):
    """``GET /v1/oauth-token`` (spec: "Token information"): who the token acts for, and its scopes."""

    type: str | None = None
    organization: WireNamed | None = None
    team: WireNamed | None = None
    user: WireNamed | None = None
    created_by: WireNamed | None = Field(default=None, alias="createdBy")
    scopes: list[str] | None = None

    @property
    def can_write(self) -> bool | None:
        """True or False when the scopes are known, None when Miro did not list them."""
        return None if self.scopes is None else WRITE_SCOPE in self.scopes
