"""The Miro REST API v2 client: the only code of gria-miro that speaks HTTP.

One ``requests.Session`` (connection reuse, a timeout on every call, ``Authorization: Bearer``
added per request and never shown), one choke point (:meth:`MiroClient._call`) that paces,
retries and turns answers into typed errors, and typed operations for push and pull.

Retry policy (one line per branch, see ``_call``):

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

**Creates are never retried blindly.** When the answer to a create is lost, the client raises
:class:`~gria_miro.miro.errors.OutcomeUnknownError` carrying the bodies it sent (and, in
``bulk_create_chunks``, the chunk index). Reconciling is the sync layer's job: it re-lists the
board and matches items by identity before creating anything again. This client does not.

Concurrency: a bounded thread pool (``max_workers``) runs bulk chunks and listings of
different item types; every request, whatever its thread, draws from one credit bucket
(``pacing.CreditBucket``). ``run_concurrently`` must not be called from inside a task it runs.

Reading a board (``read_board``): the item types gria-miro writes (frames, cards, app cards,
sticky notes, shapes, texts) are listed concurrently, one cursor listing per type, with the
board info and members; items of other types (images, embeds…) are not read, as gria-miro
never owns them and only frames are parents. ``types=None`` lists every item in one untyped
listing instead. Results are deduplicated by id; a parent frame missing from the listing is
fetched on its own so that every position can be made absolute.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from pydantic import BaseModel, ValidationError
from requests.adapters import BaseAdapter, HTTPAdapter

from gria_miro import __version__
from gria_miro.errors import GriaError, UserError
from gria_miro.miro.boardid import quote_id
from gria_miro.miro.errors import (
    MiroApiError,
    MiroError,
    MiroNetworkError,
    MiroNotFoundError,
    MiroPaginationError,
    MiroTimeoutError,
    OutcomeUnknownError,
    error_from_response,
)
from gria_miro.miro.geometry import to_observed
from gria_miro.miro.pacing import CreditBucket, credits_for
from gria_miro.miro.wire import WireBoard, WireCursorPage, WireItem, WireMember, WireOffsetPage, WireTag
from gria_miro.observed import Member, ObservedBoard, Tag

log = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

DEFAULT_BASE_URL = "https://api.miro.com"
PAGE_LIMIT = 50
BULK_MAX = 20

#: Item type → the per-type endpoint segment (``POST /v2/boards/{id}/<segment>``).
ITEM_ENDPOINTS: dict[str, str] = {
    "frame": "frames",
    "card": "cards",
    "app_card": "app_cards",
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
}

#: The types ``read_board`` lists by default: the ones gria-miro writes.
READ_TYPES: tuple[str, ...] = tuple(ITEM_ENDPOINTS)

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BACKOFF_BASE = 0.5
_BACKOFF_CAP = 30.0
_PARENT_DEPTH = 8
_MIN_429_WAIT = 1.0


#: Concurrent requests: enough for a one-team push's ten bulk chunks to go in one round trip.
#: Miro limits credits per minute, not concurrency (notes §3); the credit bucket paces every thread.
DEFAULT_MAX_WORKERS = 16

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


class MiroClient:
    """Typed operations on the Miro REST API v2 (or the local board behind an adapter)."""

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
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
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
        self._bucket = CreditBucket(credits_per_minute, clock=clock, sleep=sleep)
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

    def __repr__(self) -> str:
        return f"MiroClient(base_url={self.base_url!r}, token=***)"

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._session.close()

    def __enter__(self) -> MiroClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="gria-miro-http")
            return self._executor

    # ----------------------------------------------------------------- choke point

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

    def _observe(self, response: requests.Response) -> None:
        remaining = _header_float(response, "X-RateLimit-Remaining")
        limit = _header_float(response, "X-RateLimit-Limit")
        if remaining is None and limit is None:
            return
        self._bucket.observe(remaining=remaining, reset_in=self._reset_in(response), limit=limit)

    def _call(
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
        """Send one request (paced, retried per the module table) and return its JSON (None if empty)."""
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
                waited = self._bucket.acquire(cost)
            self.stats.sent(method, cost, waited)
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
                timed_out = isinstance(exc, requests.exceptions.Timeout)
                before = _failed_before_sending(exc)
                log.debug("%s %s failed (%s, before sending: %s)", method, path, type(exc).__name__, before)
                if create and not before:
                    reason = "délai dépassé" if timed_out else "connexion interrompue"
                    raise OutcomeUnknownError(items=sent_items, reason=reason, **context) from exc
                delay = self._backoff(attempt)
                if self._clock() + delay > min(deadline, start + self.network_retry_deadline):
                    raise self._network_error(exc, timed_out, start, item_id, context) from exc
                self._wait_retry(delay, rate_limited=False)
                attempt += 1
                continue
            self._observe(response)
            status = response.status_code
            log.debug("%s %s -> %s", method, path, status)
            if status < 400:
                return self._json(response, item_id=item_id, **context)
            if status == 404 and method == "DELETE" and attempt > 0:
                return None  # an earlier attempt deleted it; the answer was lost
            if status == 429:
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
            if status >= 500:
                if create:
                    raise OutcomeUnknownError(
                        items=sent_items, reason=f"Miro a répondu {status}", status=status, **context
                    ) from error_from_response(response, item_id=item_id, **context)
                delay = self._backoff(attempt)
                if self._clock() + delay <= deadline:
                    self._wait_retry(delay, rate_limited=False)
                    attempt += 1
                    continue
            raise error_from_response(response, item_id=item_id, bulk=bulk_items > 0, **context)

    def _wait_retry(self, delay: float, *, rate_limited: bool) -> None:
        self.stats.retried(delay, rate_limited=rate_limited)
        self._sleep(delay)

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

    def _parse(self, model: type[M], raw: Any, *, board_id: str | None, path: str) -> M:
        try:
            return model.model_validate(raw)
        except ValidationError:
            raise MiroApiError(
                status=200, miro_message=f"réponse inattendue ({model.__name__})", board_id=board_id, path=path
            ) from None

    # ----------------------------------------------------------------- paths

    @staticmethod
    def _board(board_id: str) -> str:
        return f"/v2/boards/{quote_id(board_id)}"

    @staticmethod
    def _segment(item_type: str) -> str:
        try:
            return ITEM_ENDPOINTS[item_type]
        except KeyError:
            raise ValueError(f"unsupported item type {item_type!r}; expected one of {sorted(ITEM_ENDPOINTS)}") from None

    # ----------------------------------------------------------------- boards

    def create_board(self, name: str, description: str | None = None) -> WireBoard:
        body: dict[str, Any] = {"name": name}
        if description is not None:
            body["description"] = description
        raw = self._call("POST", "/v2/boards", route="boards", body=body, create=True)
        return self._parse(WireBoard, raw, board_id=None, path="/v2/boards")

    def get_board(self, board_id: str) -> WireBoard:
        path = self._board(board_id)
        raw = self._call("GET", path, route="board", board_id=board_id)
        return self._parse(WireBoard, raw, board_id=board_id, path=path)

    def list_members(self, board_id: str) -> list[WireMember]:
        """Board members (offset-paged, limit 50), to turn a card's ``assigneeId`` into a name."""
        path = f"{self._board(board_id)}/members"
        return [
            self._parse(WireMember, raw, board_id=board_id, path=path)
            for raw in self._offset_pages(board_id, path, route="members")
        ]

    # ----------------------------------------------------------------- listings

    def list_items(
        self, board_id: str, *, type: str | None = None, parent_item_id: str | None = None
    ) -> list[WireItem]:
        """Every item (optionally of one type, or within one frame), following the cursor to the end."""
        path = f"{self._board(board_id)}/items"
        base: dict[str, str] = {"limit": str(PAGE_LIMIT)}
        if type is not None:
            base["type"] = type
        if parent_item_id is not None:
            base["parent_item_id"] = parent_item_id
        items: list[WireItem] = []
        seen_ids: set[str] = set()
        seen_cursors: set[str] = set()
        cursor: str | None = None
        while True:
            params = dict(base)
            if cursor:
                params["cursor"] = cursor
            raw = self._call("GET", path, route="items", params=params, board_id=board_id)
            page = self._parse(WireCursorPage, raw or {}, board_id=board_id, path=path)
            self._collect(page.data, items, seen_ids, board_id=board_id, path=path)
            cursor = page.cursor
            if not cursor or not page.data:
                return items
            if cursor in seen_cursors:
                raise MiroPaginationError(
                    f"Miro a renvoyé deux fois le même curseur en listant le tableau {board_id} : "
                    "lecture arrêtée pour ne pas boucler ; réessayez plus tard",
                    method="GET",
                    path=path,
                    board_id=board_id,
                )
            seen_cursors.add(cursor)

    def _collect(
        self,
        data: Iterable[Mapping[str, Any]],
        into: list[WireItem],
        seen: set[str],
        *,
        board_id: str,
        path: str,
    ) -> None:
        page = [self._parse(WireItem, raw, board_id=board_id, path=path) for raw in data]
        fresh = [item for item in page if item.id not in seen]
        if page and not fresh:
            raise MiroPaginationError(
                f"Miro a renvoyé une page déjà lue en listant le tableau {board_id} : lecture arrêtée pour ne pas "
                "boucler ; réessayez plus tard",
                method="GET",
                path=path,
                board_id=board_id,
            )
        for item in fresh:
            seen.add(item.id)
            into.append(item)

    def _offset_pages(
        self, board_id: str, path: str, *, route: str, extra: Mapping[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Every element of an offset-paged listing; stops on a short or empty page (``total`` not trusted)."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        offset = 0
        while True:
            params = {"limit": str(PAGE_LIMIT), "offset": str(offset), **(extra or {})}
            raw = self._call("GET", path, route=route, params=params, board_id=board_id)
            page = self._parse(WireOffsetPage, raw or {}, board_id=board_id, path=path)
            ids = [str(entry.get("id")) for entry in page.data]
            if page.data and all(i in seen for i in ids):
                raise MiroPaginationError(
                    f"Miro a renvoyé une page déjà lue ({path}) : lecture arrêtée pour ne pas boucler",
                    method="GET",
                    path=path,
                    board_id=board_id,
                )
            for entry, entry_id in zip(page.data, ids, strict=True):
                if entry_id not in seen:
                    seen.add(entry_id)
                    out.append(entry)
            page_limit = page.limit or PAGE_LIMIT
            if not page.data or len(page.data) < page_limit:
                return out
            offset += len(page.data)

    def list_items_by_tag(self, board_id: str, tag_id: str) -> list[WireItem]:
        path = f"{self._board(board_id)}/items"
        raws = self._offset_pages(board_id, path, route="items_by_tag", extra={"tag_id": tag_id})
        return [self._parse(WireItem, raw, board_id=board_id, path=path) for raw in raws]

    # ----------------------------------------------------------------- items

    def get_item(self, board_id: str, item_id: str, *, type: str | None = None) -> WireItem:
        """One item, by its per-type endpoint when ``type`` is given, else the generic one."""
        segment = self._segment(type) if type is not None else "items"
        path = f"{self._board(board_id)}/{segment}/{quote_id(item_id)}"
        raw = self._call("GET", path, route="item", board_id=board_id, item_id=item_id)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    def create_item(self, board_id: str, type: str, body: Mapping[str, Any]) -> WireItem:
        path = f"{self._board(board_id)}/{self._segment(type)}"
        raw = self._call("POST", path, route="create", body=dict(body), board_id=board_id, create=True)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    def update_item(self, board_id: str, type: str, item_id: str, body: Mapping[str, Any]) -> WireItem:
        path = f"{self._board(board_id)}/{self._segment(type)}/{quote_id(item_id)}"
        raw = self._call("PATCH", path, route="item", body=dict(body), board_id=board_id, item_id=item_id)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    def delete_item(self, board_id: str, item_id: str) -> None:
        """Delete any item (generic endpoint); a 404 on a retry means an earlier attempt did it."""
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        self._call("DELETE", path, route="item", board_id=board_id, item_id=item_id)

    def move_item(self, board_id: str, item_id: str, *, x: float, y: float, parent_id: str | None = None) -> WireItem:
        """Move an item; with ``parent_id`` it is (re)parented and x, y are relative to the frame's top-left."""
        body: dict[str, Any] = {"position": {"x": x, "y": y}}
        if parent_id is not None:
            body["parent"] = {"id": parent_id}
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        raw = self._call("PATCH", path, route="item", body=body, board_id=board_id, item_id=item_id)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    # ----------------------------------------------------------------- bulk

    def bulk_create(self, board_id: str, items: Sequence[Mapping[str, Any]]) -> list[WireItem]:
        """Create 1–20 items in one transactional call (all or nothing); returned in the order sent."""
        if not 1 <= len(items) <= BULK_MAX:
            raise ValueError(f"a bulk create takes 1 to {BULK_MAX} items, got {len(items)}")
        path = f"{self._board(board_id)}/items/bulk"
        body = [dict(item) for item in items]
        raw = self._call("POST", path, route="bulk", body=body, board_id=board_id, create=True, bulk_items=len(body))
        data = raw.get("data") if isinstance(raw, Mapping) else raw
        if not isinstance(data, list):
            raise MiroApiError(
                status=201, miro_message="réponse de création en lot inattendue", board_id=board_id, path=path
            )
        return [self._parse(WireItem, entry, board_id=board_id, path=path) for entry in data]

    def bulk_create_chunks(
        self,
        board_id: str,
        chunks: Sequence[Sequence[Mapping[str, Any]]],
        on_result: Callable[[int, list[WireItem] | GriaError], None],
    ) -> None:
        """Run chunks concurrently; ``on_result(index, items_or_error)`` is called in this thread as each ends.

        A chunk's error does not stop the others (each chunk is its own transaction). If
        ``on_result`` raises, chunks not yet started are cancelled and the exception propagates.
        """
        for index, chunk in enumerate(chunks):
            if not 1 <= len(chunk) <= BULK_MAX:
                raise ValueError(f"chunk {index} has {len(chunk)} items; a bulk create takes 1 to {BULK_MAX}")
        pool = self._pool()
        futures: dict[Future[list[WireItem]], int] = {
            pool.submit(self.bulk_create, board_id, chunk): index for index, chunk in enumerate(chunks)
        }
        try:
            for future in as_completed(futures):
                index = futures[future]
                result: list[WireItem] | GriaError
                try:
                    result = future.result()
                except GriaError as error:
                    if isinstance(error, MiroError):
                        error.chunk_index = index
                    result = error
                on_result(index, result)
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def run_concurrently(self, fns: Sequence[Callable[[], T]]) -> list[T | GriaError]:
        """Run ``fns`` on the pool; results in order, a GriaError in place of a failed call."""
        pool = self._pool()
        futures = [pool.submit(fn) for fn in fns]
        results: list[T | GriaError] = []
        try:
            for future in futures:
                try:
                    results.append(future.result())
                except GriaError as error:
                    results.append(error)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return results

    # ----------------------------------------------------------------- tags

    def create_tag(self, board_id: str, title: str, fill_color: str | None = None) -> WireTag:
        body: dict[str, Any] = {"title": title}
        if fill_color is not None:
            body["fillColor"] = fill_color
        path = f"{self._board(board_id)}/tags"
        raw = self._call("POST", path, route="tags", body=body, board_id=board_id, create=True)
        return self._parse(WireTag, raw, board_id=board_id, path=path)

    def list_tags(self, board_id: str) -> list[WireTag]:
        path = f"{self._board(board_id)}/tags"
        return [
            self._parse(WireTag, raw, board_id=board_id, path=path)
            for raw in self._offset_pages(board_id, path, route="tags")
        ]

    def delete_tag(self, board_id: str, tag_id: str) -> None:
        path = f"{self._board(board_id)}/tags/{quote_id(tag_id)}"
        self._call("DELETE", path, route="tags", board_id=board_id)

    def attach_tag(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Attach (idempotent in effect, so retried like a PATCH); only cards and sticky notes take tags."""
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        self._call("POST", path, route="item_tag", params={"tag_id": tag_id}, board_id=board_id, item_id=item_id)

    def detach_tag(self, board_id: str, item_id: str, tag_id: str) -> None:
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        self._call("DELETE", path, route="item_tag", params={"tag_id": tag_id}, board_id=board_id, item_id=item_id)

    def item_tags(self, board_id: str, item_id: str) -> list[WireTag]:
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}/tags"
        raw = self._call("GET", path, route="item_tags", board_id=board_id, item_id=item_id)
        tags = raw.get("tags", []) if isinstance(raw, Mapping) else []
        return [self._parse(WireTag, entry, board_id=board_id, path=path) for entry in tags]

    # ----------------------------------------------------------------- whole board

    def read_board(
        self, board_id: str, *, with_tags: bool = False, types: Sequence[str] | None = READ_TYPES
    ) -> ObservedBoard:
        """Board info, members and items (absolute positions); with tags per item when asked."""
        listings: list[Callable[[], list[WireItem]]]
        if types is None:
            listings = [lambda: self.list_items(board_id)]
        else:
            listings = [lambda t=t: self.list_items(board_id, type=t) for t in types]  # type: ignore[misc]
        tasks: list[Callable[[], Any]] = [
            lambda: self.get_board(board_id),
            lambda: self.list_members(board_id),
            *listings,
        ]
        if with_tags:
            tasks.append(lambda: self.list_tags(board_id))
        results = self.run_concurrently(tasks)
        for result in results:
            if isinstance(result, GriaError):
                raise result
        board = cast(WireBoard, results[0])
        members = cast(list[WireMember], results[1])
        items: list[WireItem] = []
        seen: set[str] = set()
        for listing in results[2 : 2 + len(listings)]:
            for item in cast(list[WireItem], listing):
                if item.id not in seen:
                    seen.add(item.id)
                    items.append(item)
        wire_tags = cast(list[WireTag], results[-1]) if with_tags else []
        parents = self._missing_parents(board_id, items)
        tag_map = self._tags_by_item(board_id, wire_tags) if with_tags else None
        return ObservedBoard(
            board_id=board_id,
            name=board.name,
            view_link=board.view_link,
            items=tuple(to_observed(items, parents=parents, tags=tag_map)),
            members=tuple(Member(id=m.id, name=m.name, role=m.role) for m in members),
            tags=tuple(Tag(id=t.id, title=t.title, fill_color=t.fill_color) for t in wire_tags),
        )

    def _missing_parents(self, board_id: str, items: Sequence[WireItem]) -> list[WireItem]:
        """Parents referenced but not listed (e.g. of a type not read), fetched to resolve positions."""
        known = {item.id for item in items}
        fetched: list[WireItem] = []
        frontier = list(items)
        for _ in range(_PARENT_DEPTH):
            wanted = sorted({p for p in (i.parent_id for i in frontier) if p and p not in known})
            if not wanted:
                break
            known.update(wanted)
            results = self.run_concurrently([lambda p=p: self.get_item(board_id, p) for p in wanted])  # type: ignore[misc]
            frontier = []
            for result in results:
                if isinstance(result, MiroNotFoundError):
                    continue  # deleted meanwhile: positions of its children stay unresolved (logged)
                if isinstance(result, GriaError):
                    raise result
                fetched.append(result)
                frontier.append(result)
        return fetched

    def _tags_by_item(self, board_id: str, tags: Sequence[WireTag]) -> dict[str, list[str]]:
        """Item id → tag ids, from one items-by-tag listing per tag (cheaper than one call per item)."""
        results = self.run_concurrently([lambda t=t: self.list_items_by_tag(board_id, t.id) for t in tags])  # type: ignore[misc]
        by_item: dict[str, list[str]] = {}
        for tag, result in zip(tags, results, strict=True):
            if isinstance(result, GriaError):
                raise result
            for item in result:
                by_item.setdefault(item.id, []).append(tag.id)
        return by_item
