"""Where Miro's official client noticed differences (issue 12.7): list boards, rich text allow-lists,
media types, 401 codes, timestamps, HEAD; on both transports."""

from __future__ import annotations

import re

import pytest
import requests

from tests.localboard.conftest import TOKEN, Api

_MS_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _boards(api: Api, **params: str) -> tuple[int, dict[str, object]]:
    response = api.session.get(f"{api.base_url}/v2/boards", params=params)
    return response.status_code, response.json()


def test_list_boards_pages_by_offset_and_filters(api: Api) -> None:
    names = ["Zèbre", "atelier musée", "Bibliothèque"]
    for name in names:
        status, _, _ = api.call("POST", "/v2/boards", {"name": name, "description": f"plateau {name}"})
        assert status == 201
    status, page = _boards(api)
    assert status == 200 and page["type"] == "list"
    assert page["total"] == 4 and page["size"] == 4 and page["offset"] == 0 and page["limit"] == 20
    status, page = _boards(api, limit="2", offset="1", sort="alphabetically")
    data = page["data"]
    assert isinstance(data, list)
    assert [b["name"] for b in data] == ["Bibliothèque", "Plateau GR:IA local"]
    assert page["total"] == 4 and page["size"] == 2 and "next" in page["links"] and "prev" in page["links"]  # type: ignore[operator]
    status, page = _boards(api, query="MUSÉE")
    assert [b["name"] for b in page["data"]] == ["atelier musée"]  # type: ignore[attr-defined]
    status, page = _boards(api, team_id="1234")
    assert status == 200 and page["total"] == 0
    status, error = _boards(api, limit="0")
    assert status == 400 and error["code"] == "2.0703"
    status, error = _boards(api, sort="random")
    assert status == 400


def test_rich_text_outside_the_allow_lists_is_stripped(api: Api) -> None:
    status, card, _ = api.call(
        "POST",
        "/cards",
        {"data": {"title": "<p><strong>GOV-03</strong> · Charte</p>", "description": "<h1>Titre</h1>"}},
    )
    assert status == 201
    assert card["data"]["title"] == "<p>GOV-03 · Charte</p>"  # title keeps p, a, br
    assert card["data"]["description"] == "Titre"
    status, note, _ = api.call(
        "POST", "/sticky_notes", {"data": {"content": "<p><span>Léa</span><script>x()</script></p>"}}
    )
    assert note["data"]["content"] == "<p><span>Léa</span></p>"  # span is allowed on a sticky note; script goes
    status, note, _ = api.call(
        "PATCH", f"/sticky_notes/{note['id']}", {"data": {"content": "<div>À <b>faire</b></div>"}}
    )
    assert status == 200 and note["data"]["content"] == "À <b>faire</b>"
    kept = "<p>A &amp; B<br/>C</p>"
    status, text, _ = api.call("POST", "/texts", {"data": {"content": kept}})
    assert text["data"]["content"] == kept  # all allowed: kept exactly as sent


@pytest.mark.parametrize("content_type", ["text/plain", None])
def test_a_body_not_declared_json_is_refused(api: Api, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    url = f"{api.base_url}{api.board_path}/sticky_notes"
    response = api.session.post(url, data=b'{"data": {"content": "x"}}', headers=headers)
    if content_type is None:  # requests sends no Content-Type for raw bytes
        assert "Content-Type" not in response.request.headers
    assert response.status_code == 415 and response.json()["type"] == "error"
    status, page, _ = api.call("GET", "/items")
    assert status == 200 and page["total"] == 0  # nothing was created
    ok = api.session.post(url, data=b'{"data": {}}', headers={"Content-Type": "application/json; charset=utf-8"})
    assert ok.status_code == 201


def test_401_codes_say_whether_the_token_is_missing_or_unknown(api: Api) -> None:
    url = f"{api.base_url}{api.board_path}"
    session = requests.Session()
    session.mount(api.base_url, api.session.get_adapter(api.base_url))
    missing = session.get(url)
    assert missing.status_code == 401 and missing.json()["code"] == "tokenNotProvided"
    wrong = session.get(url, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "tokenNotFound"
    assert TOKEN not in wrong.text


def test_timestamps_carry_milliseconds(api: Api) -> None:
    status, card, _ = api.call("POST", "/cards", {"data": {"title": "x"}})
    assert status == 201 and _MS_TIMESTAMP.match(card["createdAt"]) and _MS_TIMESTAMP.match(card["modifiedAt"])
    status, board, _ = api.call("GET", "")
    assert status == 200 and _MS_TIMESTAMP.match(board["createdAt"])


def test_head_answers_like_get_without_a_body(api: Api) -> None:
    url = f"{api.base_url}{api.board_path}/items"
    got = api.session.get(url)
    head = api.session.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"] == "application/json"
    assert api.session.head(f"{api.base_url}{api.board_path}/items/3458764999999999999").status_code == 404
