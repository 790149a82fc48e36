"""Who may do what on a served board: the API token, and the join links given to a room.

One responsibility: decide, for one request, whether the bearer token it carries allows it, and with
which grant. Two kinds of token exist:

- the **API token** (``gria-miro push/pull --token``): everything the engine offers, as a Miro token
  with ``boards:read`` and ``boards:write``;
- a **join link token** (one per team, one for the facilitator), given in the link's fragment
  (``/#k=…``, never sent in a URL to the server, so never in a proxy's or server's log): it reads the
  one board it was made for and edits its items, nothing else: no other board, no board creation or
  deletion, no tags or members management through Miro's routes, no ``/v1/oauth-token``.

The decision is a table (:func:`decide`), one commented branch per row. Pure: no I/O.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

#: Path segments (after ``/v2/boards/{id}/``) whose writes are item edits.
ITEM_SEGMENTS = frozenset({"items", "cards", "sticky_notes", "texts", "shapes", "app_cards", "frames"})
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class Verdict(StrEnum):
    """What the server does with a request."""

    API = "api"  # the API token: hand the request to the engine as it is
    LINK = "link"  # a join link allowed to do this: hand it to the engine on the link's behalf
    UNKNOWN = "unknown"  # no known token: the engine answers (401 as Miro would)
    FORBIDDEN = "forbidden"  # a join link asking for more than item edits on its board: 403


@dataclass(frozen=True)
class JoinLink:
    """A join link: the board it opens and, for a team link, the team's position (1-based) on the board."""

    token: str = field(repr=False)
    board_id: str
    team: int | None  # None: the facilitator's link
    label: str  # "Animation", "Équipe 1"…


@dataclass
class Access:
    """The API token and the join links of one served board."""

    api_token: str = field(repr=False)
    links: dict[str, JoinLink] = field(default_factory=dict, repr=False)

    @classmethod
    def for_board(cls, api_token: str, board_id: str, teams: int, names: Sequence[str] = ()) -> Access:
        """A fresh set of links: the facilitator's, then one per team (random, unguessable tokens).

        ``names``: the teams' names as the board shows them, in order (else "Équipe 1", "Équipe 2"…).
        """
        access = cls(api_token)
        access.add(JoinLink(secrets.token_urlsafe(18), board_id, None, "Animation"))
        for team in range(1, teams + 1):
            label = names[team - 1] if team <= len(names) else f"Équipe {team}"
            access.add(JoinLink(secrets.token_urlsafe(18), board_id, team, label))
        return access

    def team_links(self) -> list[JoinLink]:
        """The teams' links, in team order."""
        return sorted((link for link in self.links.values() if link.team is not None), key=lambda link: link.team or 0)

    def add(self, link: JoinLink) -> None:
        self.links[link.token] = link

    def link(self, token: str) -> JoinLink | None:
        """The join link whose token is ``token`` (compared in constant time), if any."""
        for known, link in self.links.items():
            if secrets.compare_digest(known.encode(), token.encode()):
                return link
        return None

    def is_api_token(self, token: str) -> bool:
        return bool(token) and secrets.compare_digest(token.encode(), self.api_token.encode())


def bearer(headers: dict[str, str]) -> str:
    """The token of an ``Authorization: Bearer …`` header ('' when there is none)."""
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def decide(access: Access, token: str, method: str, segments: list[str]) -> tuple[Verdict, JoinLink | None]:
    """May ``token`` send ``method`` on the Miro route ``segments`` (``['v2', 'boards', id, …]``)?"""
    if access.is_api_token(token):
        return Verdict.API, None  # the facilitator's tool: the whole API, as a Miro token
    link = access.link(token) if token else None
    if link is None:
        return Verdict.UNKNOWN, None  # let the engine refuse it in Miro's words (401)
    on_board = len(segments) >= 3 and segments[:2] == ["v2", "boards"] and segments[2] == link.board_id
    if not on_board:
        return Verdict.FORBIDDEN, link  # other boards, the board list, /v1/oauth-token: not a link's business
    if method.upper() in ("GET", "HEAD"):
        return Verdict.LINK, link  # reading its board, its items, tags and members
    if method.upper() in WRITE_METHODS and len(segments) >= 4 and segments[3] in ITEM_SEGMENTS:
        return Verdict.LINK, link  # an item edit: create, move, write, assign, delete an item
    return Verdict.FORBIDDEN, link  # board update or deletion, tags, anything else
