"""Gathering what a push (or plan, or clean) needs: state, desired board and board as read.

One responsibility: the inputs of the planner, read once and as fast as the API allows.
The board is read (round trips) while the deck and layout are parsed and laid out (CPU);
deck, layout and team count default to what the state remembers, then to the shipped ones.
Used by the CLI and by the benchmarks, so both measure the same work.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gria_miro.board import DesiredBoard
from gria_miro.errors import UserError
from gria_miro.observed import ObservedBoard
from gria_miro.sync.state import BoardState, load_state

if TYPE_CHECKING:
    from gria_miro.sync.ports import BoardPort


@dataclass
class PushInputs:
    desired: DesiredBoard
    observed: ObservedBoard
    state: BoardState
    deck_ref: str
    layout_ref: str
    teams: int | None

    def remember_inputs(self) -> None:
        """Record deck, layout and teams in the state, so the next run needs no option."""
        self.state.deck, self.state.layout, self.state.teams = self.deck_ref, self.layout_ref, self.teams


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
    from gria_miro.resources import choose_inputs

    if teams is not None and teams < 1:
        raise UserError(f"--teams {teams} : il faut au moins 1 équipe")
    state = load_state(state_path, board_id)
    deck_ref, layout_ref, teams = choose_inputs(deck, layout, teams, (state.deck, state.layout, state.teams))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gria-miro-read") as pool:
        reading = pool.submit(client.read_board, board_id, check_write=for_writing)  # scopes read alongside
        desired = compute_board(load_deck(deck_ref), load_layout(layout_ref), teams=teams)
        observed = reading.result()
    return PushInputs(desired, observed, state, deck_ref, layout_ref, teams)
