"""The join-link decision table (localboard/access.py), one row per test."""

from __future__ import annotations

from gria_miro.localboard.access import Access, JoinLink, Verdict, bearer, decide

BOARD = "uXjVboard="


def _access() -> tuple[Access, str]:
    access = Access("api-secret")
    access.add(JoinLink("link-secret", BOARD, 2, "Équipe 2"))
    return access, "link-secret"


def _route(path: str) -> list[str]:
    return path.removeprefix("/").split("/")


def test_the_api_token_may_do_anything_even_delete_the_board() -> None:
    access, _ = _access()
    assert decide(access, "api-secret", "DELETE", _route(f"/v2/boards/{BOARD}"))[0] is Verdict.API


def test_an_unknown_token_is_left_to_the_engine_which_answers_401() -> None:
    access, _ = _access()
    assert decide(access, "guess", "GET", _route(f"/v2/boards/{BOARD}/items"))[0] is Verdict.UNKNOWN
    assert decide(access, "", "GET", _route(f"/v2/boards/{BOARD}/items"))[0] is Verdict.UNKNOWN


def test_a_link_reads_its_board() -> None:
    access, link = _access()
    verdict, grant = decide(access, link, "GET", _route(f"/v2/boards/{BOARD}/items"))
    assert verdict is Verdict.LINK and grant is not None and grant.team == 2


def test_a_link_edits_items_of_its_board() -> None:
    access, link = _access()
    for method, path in [
        ("PATCH", "items/345"),
        ("POST", "sticky_notes"),
        ("PATCH", "cards/345"),
        ("DELETE", "items/345"),
        ("POST", "items/345"),  # attach a tag to an item
    ]:
        assert decide(access, link, method, _route(f"/v2/boards/{BOARD}/{path}"))[0] is Verdict.LINK, path


def test_a_link_may_not_touch_another_board() -> None:
    access, link = _access()
    assert decide(access, link, "GET", _route("/v2/boards/other=/items"))[0] is Verdict.FORBIDDEN
    assert decide(access, link, "PATCH", _route("/v2/boards/other=/items/1"))[0] is Verdict.FORBIDDEN


def test_a_link_may_not_list_or_create_boards_nor_read_the_token() -> None:
    access, link = _access()
    assert decide(access, link, "GET", _route("/v2/boards"))[0] is Verdict.FORBIDDEN
    assert decide(access, link, "POST", _route("/v2/boards"))[0] is Verdict.FORBIDDEN
    assert decide(access, link, "GET", _route("/v1/oauth-token"))[0] is Verdict.FORBIDDEN


def test_a_link_may_not_change_or_delete_the_board() -> None:
    access, link = _access()
    assert decide(access, link, "DELETE", _route(f"/v2/boards/{BOARD}"))[0] is Verdict.FORBIDDEN
    assert decide(access, link, "PATCH", _route(f"/v2/boards/{BOARD}"))[0] is Verdict.FORBIDDEN


def test_a_link_may_not_manage_tags() -> None:
    access, link = _access()
    assert decide(access, link, "POST", _route(f"/v2/boards/{BOARD}/tags"))[0] is Verdict.FORBIDDEN
    assert decide(access, link, "DELETE", _route(f"/v2/boards/{BOARD}/tags/9"))[0] is Verdict.FORBIDDEN


def test_fresh_links_are_distinct_and_never_shown_in_repr() -> None:
    access = Access.for_board("api-secret", BOARD, 3)
    labels = sorted(link.label for link in access.links.values())
    assert labels == ["Animation", "Équipe 1", "Équipe 2", "Équipe 3"]
    assert len(set(access.links)) == 4 and "api-secret" not in access.links
    shown = repr(access) + "".join(repr(link) for link in access.links.values())
    assert "api-secret" not in shown and not any(token in shown for token in access.links)


def test_bearer_reads_only_bearer_headers() -> None:
    assert bearer({"authorization": "Bearer  abc "}) == "abc"
    assert bearer({"Authorization": "Basic abc"}) == ""
    assert bearer({}) == ""
