"""``gria-miro login`` / ``logout`` / ``whoami`` and the token's precedence (issue 12.3).

Miro is played by ``responses`` with answers shaped as the spec's token information; the
keychain is an in-memory keyring backend (never the real one of the person running the tests).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import responses
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from gria_miro import keychain
from gria_miro.connect import TokenSource, find_token
from gria_miro.errors import ExitStatus
from tests.conftest import SECRET_TOKEN
from tests.e2e.pushkit import run_cli
from tests.miro.test_token import TOKEN_URL, token_info

OTHER_TOKEN = "eyJmiro-ENVIRONMENT-token-9876543210"
OPTION_TOKEN = "eyJmiro-OPTION-token-5555555555"


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in this test only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("absent")


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("MIRO_TOKEN", raising=False)
    monkeypatch.delenv("MIRO_API_URL", raising=False)
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory


@pytest.fixture
def miro() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def paste(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))


def answer_for(tokens: dict[str, dict[str, Any] | int]) -> Any:
    """Token information per bearer token: a dict (200) or an error status."""

    def callback(request: Any) -> tuple[int, dict[str, str], str]:
        given = request.headers["Authorization"].removeprefix("Bearer ")
        found = tokens.get(given, 400)
        if isinstance(found, int):
            return found, {}, json.dumps({"status": found, "code": "invalidToken", "message": "Invalid token"})
        return 200, {}, json.dumps(found)

    return callback


def test_login_checks_the_token_and_stores_it_in_the_keychain(
    vault: MemoryKeyring, miro: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Path
) -> None:
    miro.add_callback(
        responses.GET, TOKEN_URL, callback=answer_for({SECRET_TOKEN: token_info(["boards:read", "boards:write"])})
    )
    paste(monkeypatch, f"  {SECRET_TOKEN}  ")
    result = run_cli(capsys, "login")
    assert result.code == 0, result.err
    assert vault.entries == {("gria-miro", "miro-token"): SECRET_TOKEN}
    assert "équipe Atelier IA (3074457350000000003), utilisateur Camille Martin" in result.err
    assert "boards:read, boards:write" in result.err and "trousseau" in result.err
    assert SECRET_TOKEN not in result.out + result.err
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # nothing written on disk


def test_whoami_says_team_user_scopes_and_where_the_token_came_from(
    vault: MemoryKeyring, miro: responses.RequestsMock, capsys: Any
) -> None:
    vault.set_password("gria-miro", "miro-token", SECRET_TOKEN)
    miro.add_callback(
        responses.GET, TOKEN_URL, callback=answer_for({SECRET_TOKEN: token_info(["boards:read", "boards:write"])})
    )
    result = run_cli(capsys, "whoami")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "Équipe : Atelier IA (3074457350000000003)",
        "Utilisateur : Camille Martin (3074457350000000001)",
        "Organisation : Musée des Confluences (3074457350000000002)",
        "Permissions : boards:read, boards:write",
        "Jeton : le trousseau du système (gria-miro login)",
        "API : https://api.miro.com",
    ]
    assert SECRET_TOKEN not in result.out + result.err


def test_login_refuses_a_wrong_token_and_stores_nothing(
    vault: MemoryKeyring, miro: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    miro.add_callback(responses.GET, TOKEN_URL, callback=answer_for({}))
    paste(monkeypatch, SECRET_TOKEN)
    result = run_cli(capsys, "login")
    assert result.code == ExitStatus.API_ERROR
    assert "Miro refuse ce jeton (400)" in result.err and "docs/jeton-miro.md" in result.err
    assert vault.entries == {} and SECRET_TOKEN not in result.out + result.err and "Traceback" not in result.err


def test_login_refuses_a_read_only_token_saying_how_to_get_one(
    vault: MemoryKeyring, miro: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    miro.add_callback(responses.GET, TOKEN_URL, callback=answer_for({SECRET_TOKEN: token_info(["boards:read"])}))
    paste(monkeypatch, SECRET_TOKEN)
    result = run_cli(capsys, "login")
    assert result.code == ExitStatus.API_ERROR
    assert "ce jeton est en lecture seule (boards:read)" in result.err
    assert "boards:write" in result.err and "Install app and get OAuth token" in result.err
    assert vault.entries == {}


def test_login_with_nothing_pasted_is_a_clear_error(
    vault: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    paste(monkeypatch, "   ")
    result = run_cli(capsys, "login")
    assert result.code == ExitStatus.USER_ERROR and "aucun jeton collé" in result.err


def test_without_a_keychain_login_explains_the_environment_variable_and_writes_nothing(
    vault: MemoryKeyring, miro: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Path
) -> None:
    keyring.set_keyring(fail.Keyring())  # a headless Linux server: no keychain at all
    miro.add_callback(responses.GET, TOKEN_URL, callback=answer_for({SECRET_TOKEN: token_info(["boards:write"])}))
    paste(monkeypatch, SECRET_TOKEN)
    result = run_cli(capsys, "login")
    assert result.code == ExitStatus.USER_ERROR
    assert "aucun trousseau de mots de passe n'est disponible" in result.err
    assert "jamais en clair" in result.err and "MIRO_TOKEN" in result.err and "$env:MIRO_TOKEN" in result.err
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert SECRET_TOKEN not in result.out + result.err


def test_logout_removes_the_stored_token(vault: MemoryKeyring, capsys: Any) -> None:
    vault.set_password("gria-miro", "miro-token", SECRET_TOKEN)
    first = run_cli(capsys, "logout")
    assert first.code == 0 and "retiré du trousseau" in first.out and vault.entries == {}
    second = run_cli(capsys, "logout")
    assert second.code == 0 and "Aucun jeton Miro n'était enregistré" in second.out


def test_logout_says_when_miro_token_is_still_set(
    vault: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("MIRO_TOKEN", OTHER_TOKEN)
    result = run_cli(capsys, "logout")
    assert "MIRO_TOKEN reste définie" in result.out and OTHER_TOKEN not in result.out


# ----------------------------------------------------------------- precedence


@pytest.mark.parametrize(
    ("option", "env", "stored", "expected"),
    [
        (OPTION_TOKEN, OTHER_TOKEN, SECRET_TOKEN, (OPTION_TOKEN, TokenSource.OPTION)),  # --token wins over all
        (None, OTHER_TOKEN, SECRET_TOKEN, (OTHER_TOKEN, TokenSource.ENVIRONMENT)),  # MIRO_TOKEN over the stored one
        (None, None, SECRET_TOKEN, (SECRET_TOKEN, TokenSource.KEYCHAIN)),  # the stored one last
        ("  ", "", None, None),  # blanks count as nothing
    ],
)
def test_token_precedence(
    vault: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    option: str | None,
    env: str | None,
    stored: str | None,
    expected: tuple[str, TokenSource] | None,
) -> None:
    if env is not None:
        monkeypatch.setenv("MIRO_TOKEN", env)
    if stored is not None:
        vault.set_password("gria-miro", "miro-token", stored)
    found = find_token(option)
    assert (None if found is None else (found.secret, found.source)) == expected
    if found is not None:
        assert found.secret not in repr(found)


def test_whoami_names_the_environment_when_it_wins(
    vault: MemoryKeyring, miro: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    vault.set_password("gria-miro", "miro-token", SECRET_TOKEN)
    monkeypatch.setenv("MIRO_TOKEN", OTHER_TOKEN)
    miro.add_callback(responses.GET, TOKEN_URL, callback=answer_for({OTHER_TOKEN: token_info(["boards:read"])}))
    result = run_cli(capsys, "whoami")
    assert result.code == 0, result.err
    assert "Jeton : la variable d'environnement MIRO_TOKEN" in result.out
    assert "Ce jeton est en lecture seule" in result.out
    option = run_cli(capsys, "whoami", "--token", SECRET_TOKEN)
    assert option.code == ExitStatus.API_ERROR  # the option wins: SECRET_TOKEN is unknown to this Miro
    assert SECRET_TOKEN not in option.out + option.err and OTHER_TOKEN not in result.out + result.err


def test_a_stored_token_is_used_by_board_commands(
    vault: MemoryKeyring, miro: responses.RequestsMock, capsys: Any
) -> None:
    vault.set_password("gria-miro", "miro-token", SECRET_TOKEN)
    miro.get(
        "https://api.miro.com/v2/boards/uXjVOD6LSME%3D", status=404, json={"status": 404, "code": "x", "message": "no"}
    )
    result = run_cli(capsys, "pull", "--board", "uXjVOD6LSME=")
    assert result.code == ExitStatus.API_ERROR and "introuvable" in result.err
    sent = [call.request.headers["Authorization"] for call in miro.calls]
    assert sent and all(header == f"Bearer {SECRET_TOKEN}" for header in sent)


def test_no_token_anywhere_points_to_login(vault: MemoryKeyring, capsys: Any) -> None:
    result = run_cli(capsys, "whoami")
    assert result.code == ExitStatus.USER_ERROR
    assert "gria-miro login" in result.err and "MIRO_TOKEN" in result.err and "docs/jeton-miro.md" in result.err


def test_the_token_never_reaches_a_log(
    vault: MemoryKeyring, miro: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, capsys: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    miro.add_callback(responses.GET, TOKEN_URL, callback=answer_for({SECRET_TOKEN: token_info(["boards:write"])}))
    paste(monkeypatch, SECRET_TOKEN)
    assert run_cli(capsys, "--debug", "login").code == 0
    assert run_cli(capsys, "--debug", "whoami").code == 0
    assert caplog.records and all(SECRET_TOKEN not in record.getMessage() for record in caplog.records)
    assert keychain.load() == SECRET_TOKEN  # the keychain entry itself is the one place it is kept
