"""Token information (GET /v1/oauth-token) and read-only tokens named as such (issue 12.3, 12.4)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import requests
import responses

from gria_miro.errors import ExitStatus
from gria_miro.miro import MiroClient, MiroPermissionError, MiroValidationError
from gria_miro.miro.errors import TOKEN_GUIDE, ReadOnlyTokenError
from tests.conftest import SECRET_TOKEN
from tests.contract.spec_check import validate_response
from tests.miro.conftest import API, BOARD, BOARD_ID, wire_item

TOKEN_URL = f"{API}/v1/oauth-token"


def token_info(scopes: list[str] | None) -> dict[str, Any]:
    """An answer shaped as the spec's "Token information" (checked against it in the first test)."""
    person = {"type": "user", "name": "Camille Martin", "id": "3074457350000000001"}
    info: dict[str, Any] = {
        "type": "oauth",
        "organization": {"type": "organization", "name": "Musée des Confluences", "id": "3074457350000000002"},
        "team": {"type": "team", "name": "Atelier IA", "id": "3074457350000000003"},
        "createdBy": person,
        "user": person,
    }
    if scopes is not None:
        info["scopes"] = scopes
    return info


def test_token_info_is_read_from_the_spec_shaped_answer(mock: responses.RequestsMock, client: MiroClient) -> None:
    answer = token_info(["boards:read", "boards:write"])
    validate_response("token-info", answer)
    mock.get(TOKEN_URL, json=answer)
    info = client.token_info()
    assert info.team is not None and info.team.name == "Atelier IA"
    assert info.user is not None and info.user.name == "Camille Martin"
    assert info.scopes == ["boards:read", "boards:write"] and info.can_write is True
    request = mock.calls[0].request
    assert request.method == "GET" and request.headers["Authorization"] == f"Bearer {SECRET_TOKEN}"


@pytest.mark.parametrize(
    ("scopes", "can_write"), [(["boards:read"], False), ([], False), (["boards:write"], True), (None, None)]
)
def test_can_write_is_known_only_from_listed_scopes(
    mock: responses.RequestsMock, client: MiroClient, scopes: list[str] | None, can_write: bool | None
) -> None:
    mock.get(TOKEN_URL, json=token_info(scopes))
    assert client.token_info().can_write is can_write


def test_spec_check_refuses_an_answer_without_team() -> None:
    answer = token_info(["boards:read"])
    del answer["team"]
    with pytest.raises(AssertionError, match="team"):
        validate_response("token-info", answer)


# ----------------------------------------------------------------- refused writes


@pytest.mark.parametrize("status", [403, 405])
@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("POST", lambda c: c.bulk_create(BOARD_ID, [{"type": "card", "data": {"title": "a"}}])),
        ("PATCH", lambda c: c.update_item(BOARD_ID, "card", "12", {"data": {"title": "a"}})),
        ("DELETE", lambda c: c.delete_item(BOARD_ID, "12")),
        ("POST", lambda c: c.create_item(BOARD_ID, "frame", {"data": {"title": "Pile"}})),
    ],
)
def test_a_write_refused_with_403_or_405_names_a_read_only_token(
    mock: responses.RequestsMock, client: MiroClient, status: int, method: str, call: Any
) -> None:
    body = {"status": status, "code": "methodNotAllowed", "message": "Method not allowed", "type": "error"}
    for url in (f"{BOARD}/items/bulk", f"{BOARD}/cards/12", f"{BOARD}/items/12", f"{BOARD}/frames"):
        mock.add(method, url, status=status, json=body)
    with pytest.raises(ReadOnlyTokenError) as caught:
        call(client)
    error = caught.value
    line = error.one_line()
    assert line.startswith("ce jeton est en lecture seule")
    assert f"({status})" in line and "boards:write" in line and TOKEN_GUIDE in line and "gria-miro login" in line
    assert SECRET_TOKEN not in line and SECRET_TOKEN not in repr(error)
    assert isinstance(error, MiroPermissionError) and error.exit_status == ExitStatus.API_ERROR
    assert len(mock.calls) == 1  # never retried


def test_a_405_on_a_read_is_not_about_the_token(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(BOARD, status=405, json={"status": 405, "code": "methodNotAllowed", "message": "no", "type": "error"})
    with pytest.raises(MiroValidationError) as caught:
        client.get_board(BOARD_ID)
    assert not isinstance(caught.value, ReadOnlyTokenError)


# ----------------------------------------------------------------- known before any write


def _empty_board(mock: responses.RequestsMock) -> None:
    mock.get(BOARD, json={"id": BOARD_ID, "name": "Atelier"})
    mock.get(f"{BOARD}/members", json={"data": [], "limit": 50})
    mock.get(f"{BOARD}/items", json={"data": [wire_item("7", "frame")], "limit": 50})


def test_read_board_for_writing_stops_on_a_read_only_token(mock: responses.RequestsMock, client: MiroClient) -> None:
    _empty_board(mock)
    mock.get(TOKEN_URL, json=token_info(["boards:read"]))
    with pytest.raises(ReadOnlyTokenError) as caught:
        client.read_board(BOARD_ID, check_write=True)
    line = caught.value.one_line()
    assert line.startswith("ce jeton est en lecture seule (boards:read), rien n'a été écrit")
    assert TOKEN_GUIDE in line
    assert all(call.request.method == "GET" for call in mock.calls)


def test_the_scopes_are_read_alongside_the_board_not_after_it(mock: responses.RequestsMock, client: MiroClient) -> None:
    barrier = threading.Barrier(2, timeout=5)

    def board(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        barrier.wait()  # the token information is in flight at the same time, or this times out
        return 200, {}, '{"id": "uXjVOD6LSME=", "name": "Atelier"}'

    def token(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        barrier.wait()
        return 200, {}, json.dumps(token_info(["boards:read", "boards:write"]))

    mock.add_callback(responses.GET, BOARD, callback=board)
    mock.add_callback(responses.GET, TOKEN_URL, callback=token)
    mock.get(f"{BOARD}/members", json={"data": [], "limit": 50})
    mock.get(f"{BOARD}/items", json={"data": [], "limit": 50})
    observed = client.read_board(BOARD_ID, check_write=True)
    assert observed.name == "Atelier"


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 404, "json": {"status": 404, "code": "notFound", "message": "no", "type": "error"}},
        {"status": 200, "json": token_info(None)},  # scopes not listed: nothing known in advance
    ],
)
def test_unknown_scopes_do_not_stop_a_push(
    mock: responses.RequestsMock, client: MiroClient, answer: dict[str, Any]
) -> None:
    _empty_board(mock)
    mock.get(TOKEN_URL, **answer)
    assert [item.id for item in client.read_board(BOARD_ID, check_write=True).items] == ["7"]


def test_a_plain_read_does_not_ask_for_the_token(mock: responses.RequestsMock, client: MiroClient) -> None:
    _empty_board(mock)
    client.read_board(BOARD_ID)
    assert not any("oauth-token" in str(call.request.url) for call in mock.calls)
