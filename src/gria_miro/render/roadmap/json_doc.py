"""The roadmap as JSON: the structure documented in ``docs/roadmap-json.md`` (``format_version`` 1).

Pure. Ids (themes, kinds, gains, warning kinds) rather than labels, so the document does not
depend on the language; keys in a stable order; UTF-8, not ASCII-escaped.
"""

from __future__ import annotations

import json

from gria_miro.pull.roadmap import Roadmap


def render_json(roadmap: Roadmap) -> str:
    return json.dumps(roadmap.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
