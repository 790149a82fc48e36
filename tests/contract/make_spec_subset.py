"""Extract from Miro's official OpenAPI spec the request schemas gria-miro sends, into tests/data.

Usage: ``python tests/contract/make_spec_subset.py [path/to/spec.json]`` (default
``../shared/miro-openapi/spec.json`` next to the repository). Keeps only the component
schemas reachable from the roots below, drops prose (``description``, ``example``) and
records the source's sha256, so the committed subset stays small and checkable.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO.parent / "shared" / "miro-openapi" / "spec.json"
SUBSET = REPO / "tests" / "data" / "miro_spec_subset.json"

#: Request schemas gria-miro sends (exact names in the spec's components.schemas).
ROOTS = (
    "FrameCreateRequest",
    "FrameUpdateRequest",
    "CardCreateRequest",
    "CardUpdateRequest",
    "AppCardCreateRequest",
    "AppCardUpdateRequest",
    "StickyNoteCreateRequest",
    "StickyNoteUpdateRequest",
    "ShapeCreateRequest",
    "ShapeUpdateRequest",
    "TextCreateRequest",
    "TextUpdateRequest",
    "GenericItemUpdate",
    "TagCreateRequest",
    "TagUpdateRequest",
    "BoardChanges",
)

#: Response schemas checked in tests (operationId → (path, method, status)), for answers the spec
#: defines inline rather than as a component (e.g. token information).
RESPONSE_ROOTS: dict[str, tuple[str, str, str]] = {
    "token-info": ("/v1/oauth-token", "get", "200"),
}

_PROSE = frozenset({"description", "example", "examples", "externalDocs", "title"})


def _strip(node: Any, *, in_properties: bool = False) -> Any:
    """Drop prose keywords (never a property that happens to be called ``description`` or ``title``)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not in_properties and key in _PROSE and not isinstance(value, dict):
                continue
            out[key] = _strip(value, in_properties=(key == "properties" and not in_properties))
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value.rsplit("/", 1)[-1])
            else:
                found.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_refs(value))
    return found


def extract(spec_bytes: bytes) -> dict[str, Any]:
    """The subset document for a spec: reachable schemas, stripped, with the source hash."""
    spec = json.loads(spec_bytes)
    schemas = spec["components"]["schemas"]
    keep: dict[str, Any] = {}
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep[name] = schemas[name]
        todo.extend(_refs(schemas[name]))
    return {
        "source": "miroapp/api-clients packages/generator/spec.json (see ../shared/miro-openapi/SOURCE.txt)",
        "source_sha256": hashlib.sha256(spec_bytes).hexdigest(),
        "openapi": spec.get("openapi"),
        "info_version": spec.get("info", {}).get("version"),
        "roots": list(ROOTS),
        "components": {"schemas": {name: _strip(keep[name]) for name in sorted(keep)}},
        "responses": {
            operation: _strip(spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"])
            for operation, (path, method, status) in sorted(RESPONSE_ROOTS.items())
        },
    }


def render(subset: dict[str, Any]) -> str:
    return json.dumps(subset, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    spec_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    SUBSET.parent.mkdir(parents=True, exist_ok=True)
    SUBSET.write_text(render(extract(spec_path.read_bytes())), encoding="utf-8")
    print(f"wrote {SUBSET} from {spec_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
