"""A read or a create that stops early leaves no call retrying behind it.

These tests use real waits (no fake clock): what matters is that a call backing off in a pool thread
is woken when its operation has stopped, instead of retrying for ``network_retry_deadline`` seconds.
Every URL but the board's is unregistered, so ``responses`` answers it as a network that is down.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest
import requests
import responses

from gria_miro.callgroup import CallAbandoned
from gria_miro.miro import MiroClient, MiroNotFoundError
from tests.conftest import threads_in_a_miro_call
from tests.miro.conftest import API, BOARD, BOARD_ID


def _calls_settle(mock: responses.RequestsMock, *, quiet: float = 0.6) -> list[str]:
    """The URLs requested from now on during ``quiet`` seconds (longer than a first backoff, 0.25–0.5 s)."""
    before = len(mock.calls)
    time.sleep(quiet)
    return [str(call.request.url) for call in list(mock.calls)[before:]]


def test_a_read_that_fails_on_the_board_stops_its_siblings_at_once() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(BOARD, status=404, json={"status": 404, "code": "notFound", "message": "Board not found"})
        client = MiroClient("t", network_retry_deadline=60.0, rng=random.Random(0))
        try:
            with pytest.raises(MiroNotFoundError):
                client.read_board(BOARD_ID)
            deadline = time.monotonic() + 5.0  # a sibling's request already on its way may still land
            while threads_in_a_miro_call() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert threads_in_a_miro_call() == []  # before: every listing backed off and retried for 60 s
            assert _calls_settle(mock) == []
        finally:
            client.close()


def test_closing_the_client_wakes_calls_waiting_to_retry() -> None:
    callers: set[int] = set()
    all_waiting = threading.Event()
    errors: list[Any] = []
    results: list[Any] = []

    def refused(request: Any) -> Any:
        callers.add(threading.get_ident())
        if len(callers) == 3:  # every call has been sent once: all three are backing off now
            all_waiting.set()
        raise requests.exceptions.ConnectionError("refused")

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, f"{API}/v2/boards/{BOARD_ID.replace('=', '%3D')}/items", callback=refused)
        client = MiroClient("t", network_retry_deadline=60.0, rng=random.Random(0))

        def reads_forever() -> None:
            try:
                results.extend(client.run_concurrently([lambda: client.list_items(BOARD_ID) for _ in range(3)]))
            except BaseException as error:  # pragma: no cover - only on failure
                errors.append(error)

        reader = threading.Thread(target=reads_forever, daemon=True)
        reader.start()
        assert all_waiting.wait(5.0)
        started = time.monotonic()
        client.close()
        closed_in = time.monotonic() - started
        reader.join(5.0)
        assert not reader.is_alive() and errors == []
        assert [type(result) for result in results] == [CallAbandoned] * 3
        assert _calls_settle(mock) == []
    assert closed_in < 5.0  # not the 60 s the calls would have gone on retrying
