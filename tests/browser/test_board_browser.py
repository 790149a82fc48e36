"""The web board in a real headless Chromium: two participants play on one served board, then pull reads it.

The scenario of issue 17's "Done when": a card dragged from the pile into stage 2 in one browser appears
there in the other within a second; a sticky note is written and a card assigned in the browser; then
``gria-miro pull`` lists the card in stage 2 with its owner, its due date and the note. A re-push while
the browsers are open keeps what participants did. Screenshots are saved for a person to look at.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gria_miro.board import ZoneRole
from gria_miro.deck.loading import load_deck
from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout
from gria_miro.localboard.server import RunningServer, start_server
from tests.e2e.pushkit import run_cli

pytestmark = pytest.mark.slow

TOKEN = "browser-test-api-token"
CARD = "GOV-01"
NOTE = "Demander l'avis du DPO\navant l'été"
OWNER = "Camille"


def _stage_label(order: int) -> str:
    board = compute_board(load_deck("gria-fr"), load_layout("randonnee"))
    return next(z.title for z in board.zones if z.role == ZoneRole.STAGE and z.order == order)


def _open(browser: Any, url: str, errors: list[str]) -> Any:
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("() => document.getElementById('status').textContent === 'En direct'", timeout=10_000)
    return page


def _centre(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def _wait_label(page: Any, item_id: str, text: str, timeout: int = 2000) -> None:
    """Wait until the item's screen-reader label (what the board shows of it) contains ``text``."""
    page.wait_for_function(
        "([id, text]) => (document.querySelector(`[data-id='${id}']`)?.getAttribute('aria-label') || '')"
        ".includes(text)",
        arg=[item_id, text],
        timeout=timeout,
    )


def _label(page: Any, item_id: str) -> str:
    return str(page.get_attribute(f'[data-id="{item_id}"]', "aria-label") or "")


def _shot(page: Any, artefacts: Path, name: str, zoom_on: str | None = None) -> None:
    if zoom_on is not None:  # zoom around an item so that its text can be read on the picture
        page.mouse.move(*_centre(page.locator(zoom_on).bounding_box()))
        page.mouse.wheel(0, -900)
        page.wait_for_timeout(150)
    page.screenshot(path=str(artefacts / f"{name}.png"))
    if zoom_on is not None:
        page.click("#fit")  # back to the whole board


@pytest.fixture
def pushed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[RunningServer]:
    """A served SQLite board (what a room should use) on which the deck was pushed (``randonnee``, one team)."""
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    with start_server(tmp_path / "atelier.db", token=TOKEN) as server:
        _push(capsys, server)
        yield server


def _push(capsys: pytest.CaptureFixture[str], server: RunningServer) -> str:
    run = run_cli(capsys, "push", "--board", server.board_id, "--api-url", server.url, "--token", TOKEN, "--yes")
    assert run.code == 0, run.err
    return run.out


def test_two_browsers_play_live_and_pull_reads_what_they_did(
    browser: Any, artefacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], pushed: RunningServer
) -> None:
    stage = _stage_label(1)  # stage 2 of the hike
    errors: list[str] = []
    facilitator = _open(browser, pushed.join_url(None), errors)
    team = _open(browser, pushed.join_url(1), errors)
    facilitator.fill("#join-name", OWNER)
    facilitator.click("#join-form button[type=submit]")
    team.click("#join-skip")
    facilitator.wait_for_function("() => document.getElementById('join').hidden")
    _shot(team, artefacts, "01-plateau-equipe")
    _shot(team, artefacts, "01b-pioche", zoom_on=f'.item.card[aria-label^="Carte {CARD} "]')
    # every card shows all it holds (its scales are never cut off) and no two cards of the pile overlap
    cards = team.evaluate(
        """() => [...document.querySelectorAll('.item.card')].map(e => {
             const r = e.getBoundingClientRect();
             const parts = [e, ...e.children];
             return {box: [r.left, r.top, r.right, r.bottom],
                     whole: parts.every(p => p.scrollHeight <= p.clientHeight + 1)};
           })"""
    )
    assert len(cards) > 50 and all(c["whole"] for c in cards)
    overlaps = [
        (a["box"], b["box"])
        for i, a in enumerate(cards)
        for b in cards[i + 1 :]
        if min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0]) > 0.5
        and min(a["box"][3], b["box"][3]) - max(a["box"][1], b["box"][1]) > 0.5
    ]
    assert overlaps == []

    # 1. drag a card from the pile into stage 2 in one browser; the other sees it there within a second
    card = facilitator.locator(f'.item.card[aria-label^="Carte {CARD} "]')
    card_id = str(card.get_attribute("data-id"))
    assert "zone La pioche" in _label(team, card_id)
    frame = facilitator.locator(".item.frame", has_text=stage).bounding_box()
    target = (frame["x"] + frame["width"] * 0.3, frame["y"] + frame["height"] * 0.4)
    _drag(facilitator, _centre(card.bounding_box()), target)
    dropped = time.monotonic()
    _wait_label(team, card_id, "zone " + stage, timeout=1000)
    seen_after = time.monotonic() - dropped
    assert seen_after < 1.0
    (artefacts / "latence.txt").write_text(f"carte vue dans l'autre navigateur après {seen_after:.3f} s\n")

    # 2. assign the card and set its due date in the browser (the facilitator's panel)
    card.click()
    facilitator.select_option("#assignee", label=OWNER)
    _wait_label(team, card_id, "responsable " + OWNER)
    facilitator.fill("#due-date", "2026-12-15")
    _wait_label(team, card_id, "échéance 15/12/2026")
    _shot(facilitator, artefacts, "02-carte-attribuee", zoom_on=f'[data-id="{card_id}"]')

    # 3. write a sticky note in the other browser and put it next to the card
    team.click("#add-note")
    team.wait_for_selector(".item.sticky-note.selected")
    note_id = str(team.get_attribute(".item.sticky-note.selected", "data-id"))
    team.fill("#note-text", NOTE)
    team.click("#save-note")
    team.wait_for_function("() => document.getElementById('status').textContent === 'Note enregistrée'")
    team.click("#panel-close")
    box = team.locator(f'[data-id="{card_id}"]').bounding_box()
    scale = box["width"] / 320
    beside = (box["x"] + box["width"] + (10 + 199 / 2) * scale, box["y"] + box["height"] / 2)
    _drag(team, _centre(team.locator(f'[data-id="{note_id}"]').bounding_box()), beside)
    _wait_label(facilitator, note_id, "zone " + stage)
    assert "DPO" in _label(facilitator, note_id)
    _shot(team, artefacts, "03-note-ecrite", zoom_on=f'[data-id="{card_id}"]')
    _shot(facilitator, artefacts, "04-vu-par-l-animation", zoom_on=f'[data-id="{card_id}"]')

    # 4. a re-push while the browsers are open keeps what the participants did
    again = _push(capsys, pushed)
    assert "Aucun changement" in again and "laissé(s) à leur place" in again, again
    assert f"zone {stage}" in _label(team, card_id)

    # 5. pull reads the card in stage 2 with its owner, due date and note
    out = tmp_path / "feuille-de-route.json"
    run = run_cli(
        capsys, "pull", "--board", pushed.board_id, "--api-url", pushed.url, "--token", TOKEN,
        "--format", "json", "-o", str(out),
    )  # fmt: skip
    assert run.code == 0, run.err
    roadmap = json.loads(out.read_text(encoding="utf-8"))
    stage_two = roadmap["teams"][0]["stages"][1]
    assert stage_two["label"] == stage
    placed = [c for c in stage_two["cards"] if c["code"] == CARD]
    assert placed and placed[0]["owner"] == OWNER and placed[0]["due_date"] == "2026-12-15"
    assert placed[0]["notes"] == [NOTE]
    assert not errors, errors


def _card_parent(server: RunningServer, item_id: str) -> str | None:
    import requests

    url = f"{server.url}/v2/boards/{server.board_id}/items/{item_id}"
    item = requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5).json()
    return (item.get("parent") or {}).get("id")


def _frame_id(page: Any, label: str) -> str:
    return str(page.locator(".item.frame", has_text=label).get_attribute("data-id"))


def test_keyboard_and_touch_move_cards_and_screen_readers_get_labels(
    browser: Any, artefacts: Path, pushed: RunningServer
) -> None:
    errors: list[str] = []
    page = _open(browser, pushed.join_url(1), errors)
    page.click("#join-skip")

    # screen readers: every card and note is a labelled button; the board and the tools are named
    card = page.locator('.item.card[aria-label^="Carte GOV-02 "]')
    assert card.get_attribute("role") == "button" and card.get_attribute("tabindex") == "0"
    assert "zone La pioche" in str(card.get_attribute("aria-label"))
    assert page.locator("#viewport").get_attribute("aria-label")
    assert page.locator("#zoom-in").get_attribute("aria-label") == "Zoomer"

    # keyboard: focus the card, Enter opens its panel, choose a zone, Enter on "Déplacer"
    stage = _stage_label(2)
    card_id = str(card.get_attribute("data-id"))
    card.focus()
    page.keyboard.press("Enter")
    assert page.locator("#panel").is_visible()
    assert page.evaluate("document.activeElement.id") == "panel-title"
    page.select_option("#move-zone", label=stage)
    page.focus("#move")
    page.keyboard.press("Enter")
    _wait_label(page, card_id, "zone " + stage)
    assert _card_parent(pushed, card_id) == _frame_id(page, stage)
    assert "Carte déplacée dans " + stage in page.inner_text("#announce")
    page.keyboard.press("Escape")
    assert not page.locator("#panel").is_visible()
    assert page.evaluate("document.activeElement.dataset.id") == card_id  # focus back on the card
    _shot(page, artefacts, "05-deplacement-au-clavier", zoom_on=f'[data-id="{card_id}"]')

    # touch: a finger drags another card from the pile into the last stage
    tablet = browser.new_context(
        locale="fr-FR", has_touch=True, is_mobile=True, viewport={"width": 1024, "height": 768}
    ).new_page()
    tablet.on("pageerror", lambda error: errors.append(str(error)))
    tablet.goto(pushed.join_url(1))
    tablet.wait_for_function("() => document.getElementById('status').textContent === 'En direct'")
    tablet.locator("#join-skip").tap()
    last = _stage_label(3)
    other = tablet.locator('.item.card[aria-label^="Carte GOV-03 "]')
    other_id = str(other.get_attribute("data-id"))
    start = _centre(other.bounding_box())
    frame = tablet.locator(".item.frame", has_text=last).bounding_box()
    end = (frame["x"] + frame["width"] * 0.5, frame["y"] + frame["height"] * 0.5)
    touch = tablet.context.new_cdp_session(tablet)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for step in range(1, 13):
        x = start[0] + (end[0] - start[0]) * step / 12
        y = start[1] + (end[1] - start[1]) * step / 12
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    _wait_label(page, other_id, "zone " + last)
    assert _card_parent(pushed, other_id) == _frame_id(page, last)
    _shot(tablet, artefacts, "06-tablette")
    assert not errors, errors


def test_a_push_by_another_process_shows_in_the_open_browser_within_a_second_without_a_reload(
    browser: Any, artefacts: Path, tmp_path: Path, pushed: RunningServer
) -> None:
    """``gria-miro push --board local:atelier.db`` run beside ``serve atelier.db``: the changed card is updated
    in the open browser, the participants' move is kept, and the rest of the page is not rebuilt."""
    import subprocess
    import sys

    errors: list[str] = []
    page = _open(browser, pushed.join_url(1), errors)
    page.click("#join-skip")
    stage = _stage_label(1)
    card = page.locator(f'.item.card[aria-label^="Carte {CARD} "]')
    card_id = str(card.get_attribute("data-id"))
    frame = page.locator(".item.frame", has_text=stage).bounding_box()
    _drag(page, _centre(card.bounding_box()), (frame["x"] + frame["width"] * 0.3, frame["y"] + frame["height"] * 0.4))
    _wait_label(page, card_id, "zone " + stage)
    # every element on screen gets a mark: a reload of the board (rebuilt elements) would lose it
    page.evaluate("() => document.querySelectorAll('.item').forEach((el) => { el.dataset.mark = 'avant' })")

    title = "Constituer un groupe de pilotage IA"
    deck = tmp_path / "corrige" / "gria-fr.yaml"  # the same deck, one title fixed
    deck.parent.mkdir()
    source = Path(__file__).parents[2] / "decks" / "gria-fr.yaml"
    deck.write_text(source.read_text(encoding="utf-8").replace(title, title + " et éthique", 1), encoding="utf-8")
    board_file = tmp_path / "atelier.db"
    push = subprocess.run(
        [sys.executable, "-m", "gria_miro", "push", "--board", f"local:{board_file}", "--deck", str(deck), "--yes"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GRIA_MIRO_STATE_DIR": str(tmp_path / "state-autre-processus")},
    )
    ended = time.monotonic()
    assert push.returncode == 0, push.stdout + push.stderr
    _wait_label(page, card_id, "et éthique", timeout=1000)
    seen_after = time.monotonic() - ended
    assert seen_after < 1.0
    assert "zone " + stage in _label(page, card_id)  # the participants' move is kept
    unmarked = page.evaluate("() => Array.from(document.querySelectorAll('.item')).filter((el) => !el.dataset.mark)")
    assert unmarked == []  # nothing rebuilt: no reload while people play
    with (artefacts / "latence.txt").open("a", encoding="utf-8") as out:
        out.write(f"push d'un autre processus vu dans le navigateur {seen_after:.3f} s après sa fin\n")
    _shot(page, artefacts, "07-push-d-un-autre-processus", zoom_on=f'[data-id="{card_id}"]')
    assert not errors, errors
