"""Board layouts: the strict model, YAML loading with ``extends``, card content and the pure engine.

The two entry points other parts call are re-exported here: :func:`load_layout` and
:func:`compute_board`.
"""

from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout

__all__ = ["compute_board", "load_layout"]
