"""``login``, ``logout`` and ``whoami``: the Miro token kept in the system keychain, checked with Miro.

``login`` reads a pasted token without showing it, asks Miro who it belongs to
(``GET /v1/oauth-token``), refuses a token that cannot write, and stores it in the keychain
(``gria_miro.keychain``); ``whoami`` says team, user, scopes and where the token came from,
never the token; ``logout`` removes it. Precedence of tokens: ``--token`` > ``MIRO_TOKEN`` > stored.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from gria_miro.cli._options import API_URL_OPTION, TOKEN_OPTION
from gria_miro.errors import ExitStatus, GriaError, UserError

if TYPE_CHECKING:
    from gria_miro.miro.wire import WireNamed, WireTokenInfo

#: Shown without typer's "[default: …]", which a narrow help column wraps out of reach of the French catalog.
TIMEOUT_OPTION = typer.Option(
    30.0, "--timeout", help="Délai maximal d'une requête à Miro, en secondes (30 par défaut).", show_default=False
)

PROMPT = "Collez votre jeton Miro puis Entrée (il ne s'affiche pas) : "


class TokenRefusedError(GriaError):
    """Miro does not know the token (invalid, expired, revoked, or cut while copying)."""

    exit_status = ExitStatus.API_ERROR

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(
            f"Miro refuse ce jeton ({status}) : il est invalide, expiré, révoqué ou mal copié ; copiez-le à "
            "nouveau depuis les réglages de votre application Miro (« Install app and get OAuth token »), "
            "voir docs/jeton-miro.md"
        )


def _read_hidden() -> str:
    """The pasted token: hidden on a terminal, read as a line when piped (``… | gria-miro login``)."""
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(PROMPT, stream=sys.stderr)
    print(PROMPT, file=sys.stderr)
    return sys.stdin.readline() if sys.stdin is not None else ""


def _token_info(secret: str, api_url: str | None, timeout: float) -> WireTokenInfo:
    from gria_miro.connect import api_url_for
    from gria_miro.miro.client import MiroClient
    from gria_miro.miro.errors import MiroAuthError, MiroValidationError

    with MiroClient(secret, base_url=api_url_for(api_url), timeout=timeout, network_retry_deadline=timeout) as client:
        try:
            return client.token_info()
        except (MiroAuthError, MiroValidationError) as exc:
            if exc.status in (400, 401):  # the spec answers 400 "Invalid token provided"; a gateway may say 401
                raise TokenRefusedError(exc.status) from None
            raise


def _named(who: WireNamed | None) -> str:
    if who is None or not (who.name or who.id):
        return "(non indiqué)"
    return f"{who.name} ({who.id})" if who.name and who.id else str(who.name or who.id)


def _scopes(info: WireTokenInfo) -> str:
    if info.scopes is None:
        return "(non indiquées par Miro)"
    return ", ".join(info.scopes) or "(aucune)"


def login(
    api_url: str = API_URL_OPTION,
    timeout: float = TIMEOUT_OPTION,
) -> None:
    """Enregistre votre jeton Miro dans le trousseau du système, après avoir vérifié qu'il peut écrire."""
    from gria_miro import keychain
    from gria_miro.miro.errors import ReadOnlyTokenError

    secret = _read_hidden().strip()
    if not secret:
        raise UserError("aucun jeton collé : relancez gria-miro login et collez le jeton (voir docs/jeton-miro.md)")
    info = _token_info(secret, api_url, timeout)
    if info.can_write is False:
        raise ReadOnlyTokenError.from_scopes(info.scopes or [])
    keychain.store(secret)
    err = sys.stderr
    print(f"Jeton vérifié : équipe {_named(info.team)}, utilisateur {_named(info.user)}.", file=err)
    print(f"Permissions : {_scopes(info)}.", file=err)
    print(f"Jeton enregistré dans le trousseau du système ({keychain.backend_name()}).", file=err)
    print("Les commandes gria-miro l'utiliseront sans --token ni MIRO_TOKEN ; gria-miro logout le retire.", file=err)


def logout() -> None:
    """Retire le jeton Miro enregistré dans le trousseau du système."""
    import os

    from gria_miro import keychain

    if not keychain.is_available():
        print("Aucun trousseau n'est disponible sur cet ordinateur : aucun jeton n'y était enregistré.")
    elif keychain.forget():
        print("Jeton Miro retiré du trousseau du système.")
    else:
        print("Aucun jeton Miro n'était enregistré dans le trousseau du système.")
    if os.environ.get("MIRO_TOKEN", "").strip():
        print("La variable MIRO_TOKEN reste définie dans cette session : les commandes l'utilisent encore.")


def whoami(
    token: str = TOKEN_OPTION,
    api_url: str = API_URL_OPTION,
    timeout: float = TIMEOUT_OPTION,
) -> None:
    """Montre l'équipe, l'utilisateur et les permissions du jeton utilisé, et d'où il vient (jamais le jeton)."""
    from gria_miro.connect import MISSING_TOKEN, api_url_for, find_token

    found = find_token(token)
    if found is None:
        raise UserError(MISSING_TOKEN)
    info = _token_info(found.secret, api_url, timeout)
    print(f"Équipe : {_named(info.team)}")
    print(f"Utilisateur : {_named(info.user)}")
    if info.organization is not None:
        print(f"Organisation : {_named(info.organization)}")
    print(f"Permissions : {_scopes(info)}")
    print(f"Jeton : {found.source.value}")
    print(f"API : {api_url_for(api_url)}")
    if info.can_write is False:
        print(
            "Ce jeton est en lecture seule : push et clean le refuseront ; pour un jeton qui peut écrire "
            "(boards:write), voir docs/jeton-miro.md"
        )


def register(app: typer.Typer) -> None:
    """Add ``login``, ``logout`` and ``whoami`` to the root app."""
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
