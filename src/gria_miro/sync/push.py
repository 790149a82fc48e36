"""Gathering what a push (or plan, or clean) needs, and keeping the board's manifest in step.

One responsibility: the inputs of the planner, read once and as fast as the API allows, and
the manifest writes around an apply. The board is read (round trips) while the deck and layout
are parsed and laid out (CPU). Deck, layout and team count come from the options, else from the
board's manifest, else from the local state, else the shipped ones (:func:`choose`), and the CLI
says which on one line. Used by the CLI and by the benchmarks, so both measure the same work.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gria_miro.board import DesiredBoard
from gria_miro.callgroup import CallGroup
from gria_miro.errors import GriaError, UserError
from gria_miro.observed import ObservedBoard
from gria_miro.sync.manifest import (
    MANIFEST_WIDTH,
    FoundManifest,
    Manifest,
    deck_fingerprint,
    find_manifest,
    manifest_content,
    manifest_for,
    manifest_position,
)
from gria_miro.sync.state import BoardState, load_state

if TYPE_CHECKING:
    from gria_miro.sync.ports import BoardPort


class Source(StrEnum):
    """Where a deck, layout or team count came from."""

    OPTION = "option"
    BOARD = "tableau"
    STATE = "état local"
    DEFAULT = "défaut"


@dataclass(frozen=True)
class Chosen:
    """The deck, layout and team count a command applies, each with where it came from."""

    deck: str
    deck_from: Source
    layout: str
    layout_from: Source
    teams: int | None
    teams_from: Source


def choose(
    given: tuple[str | None, str | None, int | None],
    manifest: Manifest | None,
    remembered: tuple[str | None, str | None, int | None],
) -> Chosen:
    """Each input from the first that has it: option, board manifest, local state, default (pure)."""
    from gria_miro.resources import DEFAULT_DECK, DEFAULT_LAYOUT

    board = (manifest.deck, manifest.layout, manifest.teams) if manifest is not None else (None, None, None)
    picked: list[tuple[Any, Source]] = []
    for index, default in enumerate((DEFAULT_DECK, DEFAULT_LAYOUT, None)):
        if given[index] is not None:
            picked.append((given[index], Source.OPTION))
        elif manifest is not None:
            picked.append((board[index], Source.BOARD))  # teams None on the board: the layout's own
        elif remembered[index] is not None:
            picked.append((remembered[index], Source.STATE))
        else:
            picked.append((default, Source.DEFAULT))
    (deck, deck_from), (layout, layout_from), (teams, teams_from) = picked
    return Chosen(str(deck), deck_from, str(layout), layout_from, teams, teams_from)


def _stem(ref: str) -> str:
    return Path(ref).name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".csv")


def contradictions(chosen: Chosen, manifest: Manifest | None, desired: DesiredBoard, deck_fp: str) -> list[str]:
    """Options that say otherwise than the board's manifest, in French (e.g. ``--teams 1 (le tableau : 3)``)."""
    if manifest is None:
        return []
    found = []
    if chosen.deck_from == Source.OPTION and deck_fp != manifest.deck_fp and _stem(chosen.deck) != _stem(manifest.deck):
        found.append(f"--deck {chosen.deck} (le tableau : {manifest.deck})")
    if chosen.layout_from == Source.OPTION and _stem(chosen.layout) != _stem(manifest.layout):
        found.append(f"--layout {chosen.layout} (le tableau : {manifest.layout})")
    if chosen.teams_from == Source.OPTION and len(desired.teams) != len(manifest.team_ids):
        found.append(f"--teams {chosen.teams} (le tableau : {len(manifest.team_ids)} équipe(s))")
    return found


@dataclass
class PushInputs:
    desired: DesiredBoard
    observed: ObservedBoard
    state: BoardState
    deck_ref: str
    layout_ref: str
    teams: int | None
    chosen: Chosen | None = None
    deck_fp: str = ""
    found: FoundManifest | None = None

    def remember_inputs(self) -> None:
        """Record deck, layout and teams in the state, so the next run needs no option."""
        self.state.deck, self.state.layout, self.state.teams = self.deck_ref, self.layout_ref, self.teams

    @property
    def manifest(self) -> Manifest | None:
        return self.found.manifest if self.found is not None else None

    def contradictions(self) -> list[str]:
        if self.chosen is None:
            return []
        return contradictions(self.chosen, self.manifest, self.desired, self.deck_fp)

    def applied_line(self) -> str:
        """One line: what is applied and where each came from; options that contradict the board shown as such."""
        chosen = self.chosen
        if chosen is None:
            return f"Deck {self.deck_ref} · disposition {self.layout_ref}"
        manifest = self.manifest
        teams = len(self.desired.teams)
        deck_note = chosen.deck_from.value
        if manifest is not None and self.deck_fp != manifest.deck_fp:
            deck_note += " ; contenu différent de celui poussé"
        parts = [
            f"Deck {chosen.deck} ({deck_note})",
            f"disposition {chosen.layout} ({chosen.layout_from.value})",
            f"{teams} équipe(s) ({chosen.teams_from.value if chosen.teams is not None else 'disposition'})",
        ]
        line = " · ".join(parts)
        clash = self.contradictions()
        if clash:
            line += " — contredit le tableau : " + ", ".join(clash)
        return line

    def next_manifest(self, *, complete: bool, at: datetime | None = None) -> Manifest:
        """The manifest this push writes (keeping the title block lines people added)."""
        made = manifest_for(self.desired, self.deck_ref, self.layout_ref, self.teams, self.deck_fp)
        extra = self.manifest.extra if self.manifest is not None else ()
        when = (at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC") if complete else None
        return replace(made, complete=complete, pushed_at=when, extra=extra)

    def manifest_up_to_date(self) -> bool:
        current = self.manifest
        return current is not None and current.same_content(self.next_manifest(complete=True))


def write_manifest(client: BoardPort, inputs: PushInputs, *, complete: bool) -> None:
    """Create or rewrite the board's manifest (one write)."""
    manifest = inputs.next_manifest(complete=complete)
    data = {"content": manifest_content(manifest)}
    found = inputs.found
    board_id = inputs.observed.board_id
    if found is not None and found.item is not None:
        client.update_item(board_id, "text", found.item.id, {"data": data})
    else:
        x, y = manifest_position(inputs.desired)
        body = {"type": "text", "data": data, "position": {"x": x, "y": y}, "geometry": {"width": MANIFEST_WIDTH}}
        errors: list[GriaError] = []
        created: list[Any] = []

        def on_result(_index: int, result: Any) -> None:
            (errors if isinstance(result, GriaError) else created).append(result)

        client.bulk_create_chunks(board_id, [[body]], on_result)
        if errors:
            raise errors[0]
        item = created[0][0]
        from gria_miro.observed import ObservedItem

        shown = ObservedItem(id=str(item.id), type="text", x=x, y=y, width=MANIFEST_WIDTH, height=0, data=data)
        inputs.found = FoundManifest(shown, manifest, (shown,))
    if inputs.found is not None:
        inputs.found = replace(inputs.found, manifest=manifest)


def read_push_inputs(
    client: BoardPort,
    board_id: str,
    state_path: Path,
    *,
    deck: str | None = None,
    layout: str | None = None,
    teams: int | None = None,
    for_writing: bool = False,
) -> PushInputs:
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout

    if teams is not None and teams < 1:
        raise UserError(f"--teams {teams} : il faut au moins 1 équipe")
    state = load_state(state_path, board_id)
    remembered = (state.deck, state.layout, state.teams)
    guess = choose((deck, layout, teams), None, remembered)  # laid out while the board is read
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gria-miro-read") as pool, CallGroup(pool) as group:
        # scopes read alongside; the frames of the last push are listed at once. A deck error (or Ctrl-C)
        # abandons the read: it stops at its next request instead of reading the whole board for nothing.
        hint = state.frames_hint()
        reading = group.submit(lambda: client.read_board(board_id, check_write=for_writing, frames_hint=hint))
        deck_model = load_deck(guess.deck)
        desired = compute_board(deck_model, load_layout(guess.layout), teams=guess.teams)
        observed = reading.result()
    found = find_manifest(observed)
    chosen = choose((deck, layout, teams), found.manifest, remembered)
    if (chosen.deck, chosen.layout, chosen.teams) != (guess.deck, guess.layout, guess.teams):
        # the board says otherwise than the state or the defaults: lay out what the board was pushed with
        if chosen.deck != guess.deck:
            deck_model = load_deck(chosen.deck)
        desired = compute_board(deck_model, load_layout(chosen.layout), teams=chosen.teams)
    deck_fp = deck_fingerprint(deck_model.model_dump_json())
    return PushInputs(desired, observed, state, chosen.deck, chosen.layout, chosen.teams, chosen, deck_fp, found)
