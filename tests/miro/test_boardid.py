"""Board references: every form a facilitator may paste gives one canonical id, encoded once in paths."""

from __future__ import annotations

import pytest

from gria_miro.errors import UserError
from gria_miro.miro.boardid import parse_board_ref, quote_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uXjVOD6LSME=", "uXjVOD6LSME="),
        ("  uXjVOD6LSME=\n", "uXjVOD6LSME="),
        ("uXjVOD6LSME%3D", "uXjVOD6LSME="),
        ("o9J_l9_I58Q=", "o9J_l9_I58Q="),
        ("https://miro.com/app/board/uXjVOD6LSME=/", "uXjVOD6LSME="),
        ("https://miro.com/app/board/uXjVOD6LSME=", "uXjVOD6LSME="),
        ("https://miro.com/app/board/uXjVOD6LSME%3D/", "uXjVOD6LSME="),
        ("https://miro.com/app/board/uXjVOD6LSME%253D/", "uXjVOD6LSME="),
        ("https://miro.com/app/board/uXjVOD6LSME=/?moveToWidget=3458764&cot=14", "uXjVOD6LSME="),
        ("https://miro.com/app/board/uXjVOD6LSME%3D/?share_link_id=123#frag", "uXjVOD6LSME="),
        ("miro.com/app/board/uXjVOD6LSME=/", "uXjVOD6LSME="),
        ("https://miro.com/app/live-embed/o9J_l9_I58Q=/?embedMode=view_only", "o9J_l9_I58Q="),
    ],
)
def test_accepted_forms(text: str, expected: str) -> None:
    assert parse_board_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "https://miro.com/app/dashboard/",
        "https://example.com/",
        "uX jV",
        "a=b=c=",
        "https://miro.com/app/board/",
    ],
)
def test_rejected_forms_name_the_flag_with_an_example(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_board_ref(text)
    message = caught.value.one_line()
    assert message.startswith("--board")
    assert "https://miro.com/app/board/" in message


def test_paths_encode_once() -> None:
    assert quote_id("uXjVOD6LSME=") == "uXjVOD6LSME%3D"
    assert quote_id(parse_board_ref("uXjVOD6LSME%3D")) == "uXjVOD6LSME%3D"
    assert quote_id("a/b") == "a%2Fb"
