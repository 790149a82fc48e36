"""Allows ``python -m gria_miro``."""

from gria_miro.cli import main

if __name__ == "__main__":
    main()
