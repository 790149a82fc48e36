"""The retry decision (``transport.retry_step``), one test per row of the module's retry table."""

from __future__ import annotations

import pytest

from gria_miro.miro.transport import RetryStep, retry_step

SAFE_METHODS = ["GET", "PATCH", "DELETE"]


def step(method: str, *, create: bool = False, attempt: int = 0, status: int | None, before: bool = False) -> RetryStep:
    return retry_step(method=method, create=create, attempt=attempt, status=status, before_sending=before)


@pytest.mark.parametrize("status", [200, 201, 204])
@pytest.mark.parametrize(("method", "create"), [("GET", False), ("PATCH", False), ("POST", True)])
def test_row_2xx_returns(method: str, create: bool, status: int) -> None:
    assert step(method, create=create, status=status) is RetryStep.RETURN


@pytest.mark.parametrize(("method", "create"), [("GET", False), ("PATCH", False), ("DELETE", False), ("POST", True)])
def test_row_429_waits_and_retries_even_a_create(method: str, create: bool) -> None:
    assert step(method, create=create, status=429) is RetryStep.WAIT_CREDITS
    assert step(method, create=create, status=429, attempt=3) is RetryStep.WAIT_CREDITS


@pytest.mark.parametrize("method", SAFE_METHODS)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_row_5xx_backs_off_when_repeating_is_safe(method: str, status: int) -> None:
    assert step(method, status=status) is RetryStep.BACK_OFF


@pytest.mark.parametrize("status", [500, 503])
def test_row_5xx_on_a_create_is_outcome_unknown(status: int) -> None:
    assert step("POST", create=True, status=status) is RetryStep.OUTCOME_UNKNOWN


@pytest.mark.parametrize(("method", "create"), [("GET", False), ("DELETE", False), ("POST", True)])
def test_row_failed_before_sending_backs_off_even_a_create(method: str, create: bool) -> None:
    assert step(method, create=create, status=None, before=True) is RetryStep.BACK_OFF


@pytest.mark.parametrize("method", SAFE_METHODS)
def test_row_answer_lost_after_sending_backs_off_when_safe(method: str) -> None:
    assert step(method, status=None, before=False) is RetryStep.BACK_OFF


def test_row_answer_lost_after_sending_a_create_is_outcome_unknown() -> None:
    assert step("POST", create=True, status=None, before=False) is RetryStep.OUTCOME_UNKNOWN


def test_row_404_on_a_delete_retry_is_already_done() -> None:
    assert step("DELETE", status=404, attempt=1) is RetryStep.ALREADY_DONE


def test_404_on_a_first_delete_is_a_typed_error() -> None:
    assert step("DELETE", status=404, attempt=0) is RetryStep.FAIL


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 413])
@pytest.mark.parametrize(("method", "create"), [("GET", False), ("PATCH", False), ("POST", True)])
def test_row_other_4xx_is_a_typed_error(method: str, create: bool, status: int) -> None:
    assert step(method, create=create, status=status, attempt=2) is RetryStep.FAIL


def test_attach_tag_is_a_post_but_not_a_create_so_a_lost_answer_is_retried() -> None:
    # attach_tag is idempotent in effect: the client sends it with create=False
    assert step("POST", create=False, status=None) is RetryStep.BACK_OFF
    assert step("POST", create=False, status=502) is RetryStep.BACK_OFF
