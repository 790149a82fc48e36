"""One peer pushes the bench's board: run by ``bench.peers`` with the peers' own interpreter (not gria-miro's).

One responsibility: drive one third-party Miro client, as its documentation shows, against the served
local board, and report what happened as one line of JSON on stdout. It imports only the standard
library and the peer (``miro-board`` 0.3.1: module ``miro_client``; Miro's ``miro-api`` 2.2.4: module
``miro_api``), never gria-miro: the bodies come ready-made in a JSON file written by ``bench.peers``.

Each peer does what its API offers for this job, one request after another as its examples do: one
create per frame (its id is needed by the children), then the children by its bulk call (20 per request,
``parent`` set to their frame's id). The peer's own retry behaviour is left as it is: that is what is
measured. The first error the peer raises ends the push (``finished`` false, ``error`` its message).

Usage: ``python bench/peers_driver.py TOOL URL BOARD_ID BODIES.json`` with ``MIRO_TOKEN`` in the environment.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any


class Counter:
    """Requests sent and 429 answers seen, whatever the peer's HTTP library."""

    def __init__(self) -> None:
        self.requests = 0
        self.rate_limited = 0

    def saw(self, status: int) -> None:
        self.requests += 1
        if status == 429:
            self.rate_limited += 1


def miro_board(url: str, token: str, counter: Counter) -> tuple[Callable[..., str], Callable[..., list[str]]]:
    """``miro-board`` 0.3.1: ``MiroClient.create_item`` (per-type endpoint) and ``create_items`` (bulk)."""
    import miro_client  # type: ignore[import-not-found]  (miro-board's module)

    miro_client.API_BASE = url + "/v2"  # the module's one base URL (https://api.miro.com/v2)
    client = miro_client.MiroClient(token)
    send = client._session.request

    def counted(*args: Any, **kwargs: Any) -> Any:
        response = send(*args, **kwargs)
        counter.saw(response.status_code)
        return response

    client._session.request = counted

    def frame(board_id: str, body: dict[str, Any]) -> str:
        fields = {k: body.get(k) for k in ("data", "style", "position", "geometry")}
        created = client.create_item(board_id, "frame", **fields)
        return str(created["id"])

    def bulk(board_id: str, elements: list[dict[str, Any]]) -> list[str]:
        return [str(item["id"]) for item in client.create_items(board_id, elements)]

    return frame, bulk


def miro_api(url: str, token: str, counter: Counter) -> tuple[Callable[..., str], Callable[..., list[str]]]:
    """Miro's ``miro-api`` 2.2.4: ``MiroApi.create_frame_item`` and ``create_items`` (bulk), typed models."""
    from miro_api import MiroApi, models  # type: ignore[import-not-found]
    from miro_api.configuration import Configuration  # type: ignore[import-not-found]
    from miro_api.models.frame_create_request import FrameCreateRequest  # type: ignore[import-not-found]
    from miro_api.models.item_create import ItemCreate  # type: ignore[import-not-found]
    from miro_api.models.item_data_create import ItemDataCreate  # type: ignore[import-not-found]
    from miro_api.models.item_style import ItemStyle  # type: ignore[import-not-found]

    Configuration.get_default().host = url
    api = MiroApi(token)
    rest = api.api_client.rest_client
    send = rest.request

    def counted(*args: Any, **kwargs: Any) -> Any:
        response = send(*args, **kwargs)
        counter.saw(response.status)
        return response

    rest.request = counted

    def frame(board_id: str, body: dict[str, Any]) -> str:
        return str(api.create_frame_item(board_id, FrameCreateRequest.from_dict(body)).id)

    def typed(element: dict[str, Any]) -> Any:
        """The element with its data and style in their own types: ``ItemCreate.from_dict`` guesses the
        spec's overlapping oneOf and turns a text's data into sticky-note data (with a ``shape``)."""
        kind = _TYPE_NAMES[element["type"]]
        item = ItemCreate.from_dict({k: v for k, v in element.items() if k not in ("data", "style")})
        item.data = ItemDataCreate(actual_instance=getattr(models, f"{kind}Data").from_dict(element["data"]))
        if "style" in element:
            item.style = ItemStyle(actual_instance=getattr(models, f"{kind}Style").from_dict(element["style"]))
        return item

    def bulk(board_id: str, elements: list[dict[str, Any]]) -> list[str]:
        created = api.create_items(board_id, [typed(e) for e in elements])
        return [str(item.id) for item in created.data]

    return frame, bulk


_TYPE_NAMES = {"text": "Text", "shape": "Shape", "card": "Card", "sticky_note": "StickyNote", "app_card": "AppCard"}

PEERS = {"miro-board": miro_board, "miro-api": miro_api}


def main(argv: list[str]) -> int:
    tool, url, board_id, bodies_path = argv
    with open(bodies_path, encoding="utf-8") as handle:
        bodies = json.load(handle)
    counter = Counter()
    result: dict[str, Any] = {"tool": tool, "items": len(bodies["frames"]) + len(bodies["children"])}
    started = time.perf_counter()
    created = 0
    try:
        frame, bulk = PEERS[tool](url, os.environ["MIRO_TOKEN"], counter)
        ids: dict[str, str] = {}
        for key, body in bodies["frames"]:
            ids[key] = frame(board_id, body)
            created += 1
        children = bodies["children"]
        for start in range(0, len(children), 20):  # the peers' own bulk size (Miro's maximum)
            chunk = children[start : start + 20]
            elements = [{**body, "parent": {"id": ids[parent]}} if parent else body for _, parent, body in chunk]
            bulk(board_id, elements)
            created += len(chunk)
        result.update(finished=True, error=None)
    except Exception as error:  # the peer's own exception type: what a user of it would see
        result.update(finished=False, error=f"{type(error).__name__}: {str(error)[:300]}")
    result.update(
        created=created,
        seconds=round(time.perf_counter() - started, 3),
        requests=counter.requests,
        rate_limited=counter.rate_limited,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
