"""Typed errors from responses, retries with backoff, and never retrying a create blindly."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
import responses
import urllib3.exceptions

from gria_miro.errors import ExitStatus, GriaError, UserError
from gria_miro.miro import (
    MiroAuthError,
    MiroClient,
    MiroNetworkError,
    MiroNotFoundError,
    MiroPermissionError,
    MiroRateLimitError,
    MiroServerError,
    MiroTimeoutError,
    MiroValidationError,
    OutcomeUnknownError,
)
from tests.conftest import SECRET_TOKEN
from tests.miro.conftest import BOARD, BOARD_ID, EPOCH, FakeClock, make_client, wire_item


def error_body(status: int, code: str, message: str, **context: Any) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "type": "error", "context": context or None}


# ------------------------------------------------------------------ error classes


@pytest.mark.parametrize(
    ("status", "method", "item", "cls", "exit_status", "words"),
    [
        (401, "GET", None, MiroAuthError, ExitStatus.API_ERROR, "vérifiez MIRO_TOKEN ou --token"),
        (403, "PATCH", "12", MiroPermissionError, ExitStatus.API_ERROR, "boards:write"),
        (403, "GET", None, MiroPermissionError, ExitStatus.API_ERROR, "n'est pas membre"),
        (
            404,
            "GET",
            None,
            MiroNotFoundError,
            ExitStatus.API_ERROR,
            f"tableau {BOARD_ID} introuvable : vérifiez --board",
        ),
        (
            404,
            "PATCH",
            "12",
            MiroNotFoundError,
            ExitStatus.API_ERROR,
            f"élément 12 introuvable sur le tableau {BOARD_ID}",
        ),
        (409, "PATCH", "12", MiroValidationError, ExitStatus.API_ERROR, "refusé la requête (409)"),
    ],
)
def test_error_classes(
    mock: responses.RequestsMock,
    client: MiroClient,
    status: int,
    method: str,
    item: str | None,
    cls: type[GriaError],
    exit_status: ExitStatus,
    words: str,
) -> None:
    url = f"{BOARD}/cards/{item}" if item else BOARD
    mock.add(method, url, status=status, json=error_body(status, "3.0201", "nope"), headers={"X-Request-Id": "rq-1"})
    with pytest.raises(cls) as caught:
        if item:
            client.update_item(BOARD_ID, "card", item, {"data": {"title": "t"}})
        else:
            client.get_board(BOARD_ID)
    error = caught.value
    assert error.exit_status == exit_status
    assert words in error.one_line()
    assert "\n" not in error.one_line()
    assert (error.status, error.code, error.request_id, error.board_id, error.item_id) == (  # type: ignore[attr-defined]
        status,
        "3.0201",
        "rq-1",
        BOARD_ID,
        item,
    )
    assert len(mock.calls) == 1  # client errors are not retried


def test_validation_error_carries_field_messages(mock: responses.RequestsMock, client: MiroClient) -> None:
    body = error_body(400, "2.0703", "Invalid parameters", fields=[{"field": "data.content", "message": "required"}])
    mock.post(f"{BOARD}/texts", status=400, json=body)
    with pytest.raises(MiroValidationError) as caught:
        client.create_item(BOARD_ID, "text", {"data": {"content": ""}})
    assert caught.value.fields[0].field == "data.content"
    assert caught.value.bulk_index is None
    assert "champ data.content : required" in caught.value.one_line()


def test_error_without_json_body(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(BOARD, status=418, body="<html>teapot</html>")
    with pytest.raises(MiroValidationError) as caught:
        client.get_board(BOARD_ID)
    assert caught.value.status == 418 and caught.value.code is None


# ------------------------------------------------------------------ 429 and 5xx


def test_429_with_retry_after_waits_that_long(
    mock: responses.RequestsMock, clock: FakeClock, client: MiroClient
) -> None:
    mock.get(BOARD, status=429, json=error_body(429, "tooManyRequests", "slow down"), headers={"Retry-After": "7"})
    mock.get(BOARD, json={"id": BOARD_ID})
    assert client.get_board(BOARD_ID).id == BOARD_ID
    assert 7.0 in clock.sleeps
    assert (client.stats.rate_limited, client.stats.retries) == (1, 1)


def test_429_without_retry_after_uses_ratelimit_reset(
    mock: responses.RequestsMock, clock: FakeClock, client: MiroClient
) -> None:
    mock.get(BOARD, status=429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(EPOCH + 12))})
    mock.get(BOARD, json={"id": BOARD_ID})
    client.get_board(BOARD_ID)
    assert clock.t == pytest.approx(12.0)


def test_429_without_any_hint_backs_off_exponentially(
    mock: responses.RequestsMock, clock: FakeClock, client: MiroClient
) -> None:
    for _ in range(5):
        mock.get(BOARD, status=429)
    mock.get(BOARD, json={"id": BOARD_ID})
    client.get_board(BOARD_ID)
    assert len(clock.sleeps) == 5
    assert all(max(1.0, 0.25 * 2**i) <= s <= max(1.0, 0.5 * 2**i) for i, s in enumerate(clock.sleeps))


def test_429_until_the_deadline_gives_up_clearly(mock: responses.RequestsMock, clock: FakeClock) -> None:
    mock.post(f"{BOARD}/items/bulk", status=429, headers={"Retry-After": "30"})
    with make_client(clock, retry_deadline=100) as client, pytest.raises(MiroRateLimitError) as caught:
        client.bulk_create(BOARD_ID, [{"type": "card"}])
    assert len(mock.calls) == 4  # a 429 proves nothing was created: the create was retried
    assert "après 90 s" in caught.value.one_line()
    assert caught.value.exit_status == ExitStatus.API_ERROR


@pytest.mark.parametrize("failure", ["429", "503", "refused"])
def test_the_retry_deadline_counts_from_the_first_send_not_from_the_wait_for_credits(
    mock: responses.RequestsMock, clock: FakeClock, failure: str
) -> None:
    # The first answer leaves no credit until the reset in 30 s: the second call waits 30 s for credits,
    # longer than the whole retry budget (20 s), then fails once; it must still be retried.
    mock.get(BOARD, json={"id": BOARD_ID}, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"})
    if failure == "429":
        mock.get(BOARD, status=429, headers={"Retry-After": "5"})
    elif failure == "503":
        mock.get(BOARD, status=503)
    else:
        mock.get(BOARD, body=refused())
    mock.get(BOARD, json={"id": BOARD_ID})
    with make_client(clock, retry_deadline=20) as client:
        client.get_board(BOARD_ID)
        assert client.get_board(BOARD_ID).id == BOARD_ID
        assert client.stats.pacing_wait_seconds == pytest.approx(30.0)
        assert client.stats.retries == 1 and len(mock.calls) == 3
    assert 30.0 < clock.t <= 30.0 + 20.0


def test_5xx_then_success_on_a_read(mock: responses.RequestsMock, clock: FakeClock, client: MiroClient) -> None:
    mock.get(BOARD, status=503)
    mock.get(BOARD, status=500, json=error_body(500, "internal", "oops"))
    mock.get(BOARD, json={"id": BOARD_ID})
    assert client.get_board(BOARD_ID).id == BOARD_ID
    assert client.stats.retries == 2 and len(clock.sleeps) == 2


def test_5xx_until_the_deadline(mock: responses.RequestsMock, clock: FakeClock) -> None:
    mock.patch(f"{BOARD}/items/1", status=502)
    with make_client(clock, retry_deadline=5) as client, pytest.raises(MiroServerError) as caught:
        client.move_item(BOARD_ID, "1", x=0, y=0)
    assert caught.value.status == 502 and "réessayez" in caught.value.one_line()
    assert clock.t <= 5


def test_5xx_on_a_create_is_outcome_unknown_and_sent_once(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.post(f"{BOARD}/cards", status=504)
    with pytest.raises(OutcomeUnknownError) as caught:
        client.create_item(BOARD_ID, "card", {"data": {"title": "GOV-03"}})
    assert len(mock.calls) == 1
    assert caught.value.items == ({"data": {"title": "GOV-03"}},)
    assert caught.value.status == 504


# ------------------------------------------------------------------ network


def refused() -> requests.exceptions.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))  # type: ignore[arg-type]


def test_lost_response_to_a_bulk_create_is_outcome_unknown(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.post(f"{BOARD}/items/bulk", body=requests.exceptions.ConnectionError("Connection aborted."))
    mock.post(f"{BOARD}/items/bulk", status=201, json={"type": "bulk-list", "data": [wire_item("1")]})
    items = [{"type": "card", "data": {"title": "a"}}, {"type": "card", "data": {"title": "b"}}]
    seen: dict[int, object] = {}
    client.bulk_create_chunks(BOARD_ID, [items], lambda i, r: seen.setdefault(i, r))
    error = seen[0]
    assert isinstance(error, OutcomeUnknownError)
    assert len(mock.calls) == 1  # the POST was sent exactly once
    assert error.chunk_index == 0 and error.items == tuple(items)
    assert error.exit_status == ExitStatus.NETWORK_ERROR
    assert "relira le tableau" in error.one_line()


def test_read_timeout_on_a_create_is_outcome_unknown(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.post(f"{BOARD}/frames", body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(OutcomeUnknownError, match="délai dépassé"):
        client.create_item(BOARD_ID, "frame", {"data": {"title": "Pile"}})
    assert len(mock.calls) == 1


@pytest.mark.parametrize("failure", [requests.exceptions.ConnectTimeout("connect timed out"), refused()])
def test_a_create_that_never_left_is_retried(
    mock: responses.RequestsMock, client: MiroClient, failure: Exception
) -> None:
    mock.post(f"{BOARD}/cards", body=failure)
    mock.post(f"{BOARD}/cards", status=201, json=wire_item("5"))
    assert client.create_item(BOARD_ID, "card", {"data": {"title": "t"}}).id == "5"
    assert len(mock.calls) == 2


def test_read_timeouts_until_the_deadline(mock: responses.RequestsMock, clock: FakeClock) -> None:
    mock.get(BOARD, body=requests.exceptions.ReadTimeout("read timed out"))
    with make_client(clock, retry_deadline=10, timeout=3) as client, pytest.raises(MiroTimeoutError) as caught:
        client.get_board(BOARD_ID)
    assert len(mock.calls) > 2
    assert caught.value.exit_status == ExitStatus.NETWORK_ERROR
    assert "--timeout" in caught.value.one_line()


def test_network_down(mock: responses.RequestsMock, clock: FakeClock) -> None:
    mock.get(BOARD, body=refused())
    with make_client(clock, retry_deadline=2) as client, pytest.raises(MiroNetworkError) as caught:
        client.get_board(BOARD_ID)
    assert not isinstance(caught.value, MiroTimeoutError)
    assert "api.miro.com" in caught.value.one_line()


def test_delete_whose_first_answer_was_lost_then_404_is_success(
    mock: responses.RequestsMock, client: MiroClient
) -> None:
    mock.delete(f"{BOARD}/items/9", body=requests.exceptions.ConnectionError("Connection reset by peer"))
    mock.delete(f"{BOARD}/items/9", status=404, json=error_body(404, "3.0201", "Item not found"))
    client.delete_item(BOARD_ID, "9")
    assert len(mock.calls) == 2


def test_delete_404_on_first_attempt_is_an_error(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.delete(f"{BOARD}/items/9", status=404)
    with pytest.raises(MiroNotFoundError):
        client.delete_item(BOARD_ID, "9")


# ------------------------------------------------------------------ token and base URL


def test_token_never_leaks(mock: responses.RequestsMock, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mock.get(BOARD, status=401, json=error_body(401, "tokenNotProvided", "bad token"))
    mock.post(f"{BOARD}/cards", body=requests.exceptions.ConnectionError("aborted"))
    mock.get(f"{BOARD}/items", body=refused())
    errors: list[BaseException] = []
    with make_client(clock, retry_deadline=1) as client:
        assert SECRET_TOKEN not in repr(client)
        for call in (
            lambda: client.get_board(BOARD_ID),
            lambda: client.create_item(BOARD_ID, "card", {}),
            lambda: client.list_items(BOARD_ID),
        ):
            with pytest.raises(GriaError) as caught:
                call()
            errors.append(caught.value)
    for error in errors:
        texts = [str(error), repr(error), error.one_line(), *error.detail_lines(), repr(vars(error))]
        assert all(SECRET_TOKEN not in t for t in texts)
    assert caplog.records, "the client logs its requests at debug level"
    assert all(SECRET_TOKEN not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.miro.com", True),
        ("https://localboard.invalid/", True),
        ("http://127.0.0.1:8765", True),
        ("http://127.8.9.10", True),
        ("http://localhost:9000", True),
        ("http://[::1]:9000", True),
        ("http://api.miro.com", False),
        ("http://192.168.1.10:8000", False),
        ("http://localhost.evil.com", False),
        ("ftp://api.miro.com", False),
    ],
)
def test_plain_http_only_on_loopback(url: str, ok: bool) -> None:
    if ok:
        assert MiroClient("t", base_url=url).base_url == url.rstrip("/")
    else:
        with pytest.raises(UserError, match="--api-url"):
            MiroClient("t", base_url=url)


def test_missing_token_is_a_user_error() -> None:
    with pytest.raises(UserError, match="MIRO_TOKEN"):
        MiroClient("  ")


def test_adapter_is_mounted_on_the_base_url() -> None:
    seen: list[str] = []

    class Local(requests.adapters.BaseAdapter):
        def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
            seen.append(str(request.url))
            response = requests.Response()
            response.status_code = 200
            response._content = b'{"id": "uXjVOD6LSME="}'
            response.url = str(request.url)
            response.request = request
            return response

        def close(self) -> None:
            pass

    with MiroClient("t", base_url="https://localboard.invalid", adapter=Local()) as client:
        assert client.get_board(BOARD_ID).id == BOARD_ID
    assert seen == ["https://localboard.invalid/v2/boards/uXjVOD6LSME%3D"]


def test_429_with_zero_or_dated_retry_after_still_waits_and_ends(
    mock: responses.RequestsMock, clock: FakeClock
) -> None:
    mock.get(BOARD, status=429, headers={"Retry-After": "Tue, 14 Nov 2023 22:13:40 GMT"})  # EPOCH + 20 s
    mock.get(BOARD, status=429, headers={"Retry-After": "0"})
    with make_client(clock, retry_deadline=30) as client, pytest.raises(MiroRateLimitError):
        client.get_board(BOARD_ID)
    assert clock.sleeps[0] == pytest.approx(20.0)
    assert all(s >= 1.0 for s in clock.sleeps[1:])
    assert len(mock.calls) <= 12
