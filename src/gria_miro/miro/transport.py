"""The HTTP transport to Miro: one session, one choke point, the retry decision.

One ``requests.Session`` (connection reuse, a timeout on every call, ``Authorization: Bearer``
added per request and never shown), one choke point (:meth:`Transport.call`) that paces on
credits, retries and turns answers into typed errors, and the thread pool every concurrent call
runs on. It knows nothing of boards or items (that is :mod:`gria_miro.miro.endpoints`).

Retry policy, decided by the pure function :func:`retry_step` (one row per branch, tested row by row):

| what happened                                   | GET / PATCH / DELETE      | POST (create)                 |
|-------------------------------------------------|---------------------------|-------------------------------|
| 2xx                                             | return                    | return                        |
| 429                                             | wait, retry               | wait, retry (nothing created) |
| 5xx                                             | back off, retry           | OutcomeUnknownError           |
| connection failed before sending (refused, DNS, | back off, retry           | back off, retry               |
| connect timeout)                                |                           |                               |
| connection lost / read timeout after sending    | back off, retry           | OutcomeUnknownError           |
| 404 on a DELETE retry                           | success (already gone)    | —                             |
| other 4xx                                       | typed error               | typed error                   |

Waiting honours ``Retry-After``, else ``X-RateLimit-Reset``, else jittered exponential backoff,
and gives up when the next attempt would start after ``retry_deadline`` seconds (after
``network_retry_deadline`` seconds for a network that cannot be reached at all), counted from the
first send: the wait for credits before it (pacing) does not eat into the retry budget.

**Creates are never retried blindly.** When the answer to a create is lost, the transport raises
:class:`~gria_miro.miro.errors.OutcomeUnknownError` carrying the bodies it sent. Reconciling is the
sync layer's job: it re-lists the board and matches items by identity before creating anything again.

Concurrency: a bounded thread pool (``max_workers``); every request, whatever its thread, draws
from one credit bucket (``pacing.CreditBucket``). ``run_concurrently`` must not be called from
inside a task it runs.

**Nothing keeps retrying for an answer nobody will read.** Calls run side by side belong to a
:class:`CallGroup`. When the group is left early (a sibling failed, Ctrl-C), or the transport is closed,
each call still running stops before its next attempt, and any wait it is in (a backoff, a 429, credits)
ends at once: it raises :class:`CallAbandoned`, which nobody reads. Without this, a read that failed on
its first 404 left its siblings backing off for up to ``network_retry_deadline`` seconds; the process
could not exit before they gave up, and their requests reached whatever answered next.
"""

from __future__ import annotations

import email.utils
import enum
import ipaddress
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from pydantic import BaseModel, ValidationError
from requests.adapters import BaseAdapter, HTTPAdapter

from gria_miro import __version__
from gria_miro.callgroup import CallAbandoned, CallGroup, current_group
from gria_miro.errors import GriaError, UserError
from gria_miro.miro.errors import (
    MiroApiError,
    MiroNetworkError,
    MiroTimeoutError,
    OutcomeUnknownError,
    error_from_response,
)
from gria_miro.miro.pacing import CreditBucket, credits_for

log = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

DEFAULT_BASE_URL = "https://api.miro.com"

#: Concurrent requests: a one-team push's ten bulk chunks go in one round trip, and a ten-team board
#: (72 frames, each frame's children listed side by side, see ``reader``) is read in about five.
#: Miro limits credits per minute, not concurrency (notes §3); the credit bucket paces every thread.
DEFAULT_MAX_WORKERS = 32

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 30.0
_MIN_429_WAIT = 1.0


class RetryStep(enum.Enum):
    """What the choke point does after one attempt (the module's retry table)."""

    RETURN = "return"  # a 2xx: hand the answer back
    ALREADY_DONE = "already_done"  # 404 on a DELETE retry: an earlier attempt deleted it
    WAIT_CREDITS = "wait_credits"  # 429: wait as Miro asks, then retry
    BACK_OFF = "back_off"  # transient failure of a call safe to repeat: back off, retry
    OUTCOME_UNKNOWN = "outcome_unknown"  # a create that may or may not have happened
    FAIL = "fail"  # a definite refusal: typed error


def retry_step(*, method: str, create: bool, attempt: int, status: int | None, before_sending: bool) -> RetryStep:
    """The retry table as a pure function. ``status`` is None when no answer came back;
    ``before_sending`` says the connection certainly failed before the request left."""
    if status is None:
        if before_sending:
            return RetryStep.BACK_OFF  # never reached Miro: even a create may be sent again
        if create:
            return RetryStep.OUTCOME_UNKNOWN  # sent, answer lost: the item may exist
        return RetryStep.BACK_OFF  # reads, updates and deletes are safe to repeat
    if status < 400:
        return RetryStep.RETURN  # success
    if status == 404 and method == "DELETE" and attempt > 0:
        return RetryStep.ALREADY_DONE  # the lost answer of an earlier attempt was a success
    if status == 429:
        return RetryStep.WAIT_CREDITS  # nothing was done, creates included
    if status >= 500:
        return RetryStep.OUTCOME_UNKNOWN if create else RetryStep.BACK_OFF  # a 5xx may follow a partial create
    return RetryStep.FAIL  # any other 4xx: retrying would get the same answer


@dataclass
class MiroStats:
    """Counters read by benchmarks and the CLI's summary; updated under a lock."""

    requests_by_method: dict[str, int] = field(default_factory=dict)
    write_requests: int = 0
    credits_spent: int = 0
    rate_limited: int = 0
    retries: int = 0
    pacing_wait_seconds: float = 0.0
    backoff_wait_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def requests(self) -> int:
        return sum(self.requests_by_method.values())

    def sent(self, method: str, credits: int, waited: float) -> None:
        with self._lock:
            self.requests_by_method[method] = self.requests_by_method.get(method, 0) + 1
            if method in _WRITE_METHODS:
                self.write_requests += 1
            self.credits_spent += credits
            self.pacing_wait_seconds += waited

    def retried(self, waited: float, *, rate_limited: bool) -> None:
        with self._lock:
            self.retries += 1
            self.backoff_wait_seconds += waited
            if rate_limited:
                self.rate_limited += 1

    def saw_429(self) -> None:
        with self._lock:
            self.rate_limited += 1


class _Bearer(requests.auth.AuthBase):
    """Adds the token to each request; its repr never shows it."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_Bearer(***)"


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """``https://`` anything, or ``http://`` on loopback only; returns it without a trailing slash."""
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return url
    if parts.scheme == "http":
        raise UserError(
            f"--api-url : « {base_url} » utilise http:// sans chiffrement ; le jeton Miro ne doit pas circuler "
            "en clair. Utilisez https://, ou http:// seulement vers 127.0.0.1 / localhost (tableau local)"
        )
    raise UserError(f"--api-url : « {base_url} » n'est pas une URL https:// (exemple : --api-url https://api.miro.com)")


def _failed_before_sending(exc: requests.exceptions.RequestException) -> bool:
    """True when the request certainly never reached the server (so even a create may be retried)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason: object = exc.args[0] if exc.args else None
        if isinstance(reason, urllib3.exceptions.MaxRetryError):
            reason = reason.reason
        return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError)
    return False


def _header_float(response: requests.Response, name: str) -> float | None:
    value = response.headers.get(name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


class Transport:
    """The session, the credit bucket and the pool; :meth:`call` is the one way a request leaves."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        adapter: BaseAdapter | None = None,
        timeout: float = 30.0,
        max_workers: int = DEFAULT_MAX_WORKERS,
        credits_per_minute: int = 100_000,
        retry_deadline: float = 120.0,
        network_retry_deadline: float = 30.0,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        """``sleep`` replaces every wait (tests pass a fake clock's); by default a wait in a pool thread
        ends early when its group is abandoned, and one in the main thread is ``time.sleep`` (which
        Ctrl-C interrupts on every platform)."""
        if not token or not token.strip():
            raise UserError("jeton Miro absent : définissez MIRO_TOKEN ou passez --token")
        self.base_url = check_base_url(base_url)
        self.timeout = timeout
        self.max_workers = max(1, max_workers)
        self.retry_deadline = retry_deadline
        #: A refused or unreachable connection rarely heals within minutes: give up sooner than on 429/5xx.
        self.network_retry_deadline = min(network_retry_deadline, retry_deadline)
        self.stats = MiroStats()
        self._auth = _Bearer(token.strip())
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._bucket = CreditBucket(credits_per_minute, clock=clock, sleep=self._pause)
        self._session = requests.Session()
        self._session.headers.update(
            {
                "User-Agent": f"gria-miro/{__version__} python-requests/{requests.__version__}",
                "Accept": "application/json",
            }
        )
        pooled = HTTPAdapter(pool_connections=4, pool_maxsize=self.max_workers, max_retries=0)
        self._session.mount("https://", pooled)
        self._session.mount("http://", pooled)
        if adapter is not None:
            self._session.mount(self.base_url, adapter)
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self._closed = False
        self._open_groups: set[CallGroup] = set()

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, token=***)"

    # ----------------------------------------------------------------- lifecycle and pool

    def close(self) -> None:
        """Abandon every call still running (each ends with its request in flight), then free the pool."""
        with self._executor_lock:
            self._closed = True
            groups = list(self._open_groups)
        for group in groups:
            group.abandon()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._session.close()

    def group(self, pool: Executor | None = None) -> CallGroup:
        """A :class:`CallGroup` on the transport's pool (or on ``pool``), abandoned by :meth:`close` too."""
        group = CallGroup(pool or self.pool(), on_exit=self._forget_group)
        with self._executor_lock:
            self._open_groups.add(group)
            closed = self._closed
        if closed:
            group.abandon()
        return group

    def _forget_group(self, group: CallGroup) -> None:
        with self._executor_lock:
            self._open_groups.discard(group)

    def pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="gria-miro-http")
            return self._executor

    def run_concurrently(self, fns: Sequence[Callable[[], T]]) -> list[T | GriaError]:
        """Run ``fns`` on the pool; results in order, a GriaError in place of a failed call.

        Interrupted (Ctrl-C), the calls not finished are abandoned."""
        with self.group() as group:
            futures = [group.submit(fn) for fn in fns]
            results: list[T | GriaError] = []
            for future in futures:
                try:
                    results.append(group.result(future))
                except GriaError as error:
                    results.append(error)
        return results

    # ----------------------------------------------------------------- the choke point

    def on_credit_wait(self, listener: Callable[[float], None] | None) -> None:
        """Have ``listener(seconds)`` told before any request waits for Miro credits (progress display)."""
        self._bucket.on_wait = listener

    def call(
        self,
        method: str,
        path: str,
        *,
        route: str,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        board_id: str | None = None,
        item_id: str | None = None,
        create: bool = False,
        bulk_items: int = 0,
    ) -> Any:
        """Send one request (paced, retried per :func:`retry_step`) and return its JSON (None if empty)."""
        cost = credits_for(method, route, items=bulk_items)
        url = self.base_url + path
        sent_items: Sequence[Mapping[str, Any]] = ()
        if create:
            sent_items = list(body) if isinstance(body, list) else [body or {}]
        context: dict[str, Any] = {"method": method, "path": path, "board_id": board_id}
        waited = self._bucket.acquire(cost)
        # The deadlines count from the first send: a call kept waiting for credits (pacing) still gets
        # its whole retry budget. Credit waits before a retry do count (they are part of retrying).
        start = self._clock()
        deadline = start + self.retry_deadline
        attempt = 0
        while True:
            if attempt > 0:
                self._stop_if_abandoned()
                waited = self._bucket.acquire(cost)
            self.stats.sent(method, cost, waited)
            response: requests.Response | None = None
            failure: requests.exceptions.RequestException | None = None
            sent_at: float | None = None
            try:
                response = self._session.request(
                    method,
                    url,
                    params=dict(params) if params else None,
                    json=body,
                    timeout=self.timeout,
                    auth=self._auth,
                    allow_redirects=False,
                )
            except requests.exceptions.RequestException as exc:
                failure = exc
            finally:
                sent_at = self._bucket.answered()  # Miro has counted the call by now (or never will)
            before = failure is not None and _failed_before_sending(failure)
            if response is not None:
                self._observe(response, sent_at)
                log.debug("%s %s -> %s", method, path, response.status_code)
            else:
                log.debug("%s %s failed (%s, before sending: %s)", method, path, type(failure).__name__, before)
            status = response.status_code if response is not None else None
            step = retry_step(method=method, create=create, attempt=attempt, status=status, before_sending=before)
            if step is RetryStep.RETURN:
                assert response is not None
                return self._json(response, item_id=item_id, **context)
            if step is RetryStep.ALREADY_DONE:
                return None
            if step is RetryStep.OUTCOME_UNKNOWN:
                if response is None:
                    timed_out = isinstance(failure, requests.exceptions.Timeout)
                    reason = "délai dépassé" if timed_out else "connexion interrompue"
                    raise OutcomeUnknownError(items=sent_items, reason=reason, **context) from failure
                raise OutcomeUnknownError(
                    items=sent_items, reason=f"Miro a répondu {status}", status=status, **context
                ) from error_from_response(response, item_id=item_id, **context)
            if step is RetryStep.WAIT_CREDITS:
                assert response is not None
                # A floor so that "Retry-After: 0" cannot make us hammer Miro until the deadline.
                delay = max(_MIN_429_WAIT, self._rate_limit_delay(response, attempt))
                self._bucket.block_for(delay)
                if self._clock() + delay > deadline:
                    self.stats.saw_429()
                    raise error_from_response(
                        response, item_id=item_id, waited_seconds=self._clock() - start, **context
                    )
                self._wait_retry(delay, rate_limited=True)
                attempt += 1
                continue
            if step is RetryStep.BACK_OFF:
                delay = self._backoff(attempt)
                if response is None:
                    assert failure is not None
                    if self._clock() + delay > min(deadline, start + self.network_retry_deadline):
                        timed_out = isinstance(failure, requests.exceptions.Timeout)
                        raise self._network_error(failure, timed_out, start, item_id, context) from failure
                    self._wait_retry(delay, rate_limited=False)
                    attempt += 1
                    continue
                if self._clock() + delay <= deadline:
                    self._wait_retry(delay, rate_limited=False)
                    attempt += 1
                    continue
            assert response is not None
            raise error_from_response(response, item_id=item_id, bulk=bulk_items > 0, **context)

    def parse(self, model: type[M], raw: Any, *, board_id: str | None, path: str) -> M:
        """A wire model from an answer; an answer of the wrong shape is Miro's error, in one line."""
        try:
            return model.model_validate(raw)
        except ValidationError:
            raise MiroApiError(
                status=200, miro_message=f"réponse inattendue ({model.__name__})", board_id=board_id, path=path
            ) from None

    # ----------------------------------------------------------------- waiting

    def _backoff(self, attempt: int) -> float:
        with self._rng_lock:
            jitter = 0.5 + 0.5 * self._rng.random()
        return min(_BACKOFF_CAP, _BACKOFF_BASE * 2.0**attempt) * jitter

    def _rate_limit_delay(self, response: requests.Response, attempt: int) -> float:
        """Retry-After (seconds or HTTP date), else X-RateLimit-Reset, else backoff."""
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(retry_after).timestamp()
                    return max(0.0, when - self._wall_clock())
                except (TypeError, ValueError):
                    pass
        reset = self._reset_in(response)
        if reset is not None:
            return reset
        return self._backoff(attempt)

    def _reset_in(self, response: requests.Response) -> float | None:
        """Seconds until ``X-RateLimit-Reset``: a UNIX epoch (documented), or a delay if it is small."""
        reset = _header_float(response, "X-RateLimit-Reset")
        if reset is None:
            return None
        if reset > 1_000_000_000:
            return max(0.0, reset - self._wall_clock())
        return max(0.0, reset)

    def _observe(self, response: requests.Response, sent_at: float | None) -> None:
        remaining = _header_float(response, "X-RateLimit-Remaining")
        limit = _header_float(response, "X-RateLimit-Limit")
        if remaining is None and limit is None:
            return
        self._bucket.observe(remaining=remaining, reset_in=self._reset_in(response), limit=limit, sent_at=sent_at)

    def _wait_retry(self, delay: float, *, rate_limited: bool) -> None:
        self.stats.retried(delay, rate_limited=rate_limited)
        self._pause(delay)

    def _pause(self, seconds: float) -> None:
        """Every wait (credits, 429, backoff); raises :class:`CallAbandoned` if the call should stop."""
        group = current_group()
        if self._sleep is not None:
            self._sleep(seconds)
        elif group is not None:
            group.wait(seconds)
        else:
            time.sleep(seconds)
        self._stop_if_abandoned()

    def _stop_if_abandoned(self) -> None:
        group = current_group()
        if group is not None and group.abandoned:
            raise CallAbandoned

    def _network_error(
        self,
        exc: requests.exceptions.RequestException,
        timed_out: bool,
        start: float,
        item_id: str | None,
        context: Mapping[str, Any],
    ) -> MiroNetworkError:
        waited = self._clock() - start
        host = urlsplit(self.base_url).hostname
        if timed_out:
            return MiroTimeoutError(
                f"{host} ne répond pas (délai de {self.timeout:.0f} s dépassé, abandon après {waited:.0f} s) : "
                "vérifiez votre connexion ou augmentez --timeout",
                item_id=item_id,
                **context,
            )
        return MiroNetworkError(
            f"impossible de joindre {host} ({type(exc).__name__}, abandon après {waited:.0f} s) : "
            "vérifiez votre connexion Internet, un proxy éventuel ou --api-url",
            item_id=item_id,
            **context,
        )

    def _json(self, response: requests.Response, *, item_id: str | None, **context: Any) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise MiroApiError(
                status=response.status_code, miro_message="réponse illisible (pas du JSON)", item_id=item_id, **context
            ) from None
