"""The Miro token in the operating system's keychain (``keyring``): store, load, forget.

One entry, service ``gria-miro``, account ``miro-token``: macOS Keychain, Windows Credential
Manager, or the Secret Service (GNOME Keyring, KWallet) on a Linux desktop. Where no keychain
exists (a headless Linux server, a container), nothing is ever written in clear instead:
:class:`KeychainUnavailableError` says so and points to the ``MIRO_TOKEN`` environment variable.
The token never appears in a message, a log or a ``repr`` of this module's values.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from gria_miro.errors import UserError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "gria-miro"
ACCOUNT = "miro-token"

ENV_HOWTO = (
    "définissez plutôt la variable d'environnement MIRO_TOKEN dans votre session (Linux, macOS : "
    'export MIRO_TOKEN=… ; Windows PowerShell : $env:MIRO_TOKEN = "…"), ou passez --token à chaque commande'
)


class KeychainUnavailableError(UserError):
    """No usable keychain on this computer (or it refused): the token cannot be stored safely."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"aucun trousseau de mots de passe n'est disponible sur cet ordinateur ({reason}) : le jeton n'a pas "
            f"été enregistré, et gria-miro ne l'écrit jamais en clair dans un fichier ; {ENV_HOWTO}"
        )


def _backend() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


def backend_name() -> str:
    """A readable name of the keychain in use (e.g. ``macOS Keyring``), for messages."""
    backend = _backend()
    return str(getattr(backend, "name", type(backend).__name__))


def is_available() -> bool:
    """True when a real keychain backend is selected (not keyring's "fail" or "null" stand-ins)."""
    from keyring.backends import fail, null

    backend = _backend()
    return not isinstance(backend, fail.Keyring | null.Keyring) and backend.priority > 0


def store(token: str) -> None:
    """Save the token in the keychain, replacing any earlier one; never falls back to a file."""
    from keyring.errors import KeyringError

    if not is_available():
        raise KeychainUnavailableError(f"aucun service de trousseau détecté, {backend_name()}")
    try:
        _backend().set_password(SERVICE, ACCOUNT, token)
    except KeyringError as exc:
        raise KeychainUnavailableError(f"le trousseau a refusé l'enregistrement : {type(exc).__name__}") from None


def load() -> str | None:
    """The stored token, or None (nothing stored, or no keychain: commands then ask for MIRO_TOKEN)."""
    from keyring.errors import KeyringError

    if not is_available():
        return None
    try:
        return _backend().get_password(SERVICE, ACCOUNT) or None
    except KeyringError as exc:  # a locked or broken keychain must not stop a command that has another way in
        log.debug("keychain read failed: %s", type(exc).__name__)
        return None


def forget() -> bool:
    """Remove the stored token; False when there was none (or no keychain)."""
    from keyring.errors import KeyringError, PasswordDeleteError

    if not is_available():
        return False
    try:
        _backend().delete_password(SERVICE, ACCOUNT)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise KeychainUnavailableError(f"le trousseau a refusé la suppression : {type(exc).__name__}") from None
    return True
