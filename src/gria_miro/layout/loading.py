"""Loading a layout from YAML: ``extends`` chains merged, every problem at once, each located.

Inheritance (``extends: randonnee`` or ``extends: ./base.yaml``, relative to the file):
the base is loaded first, then the file's values override it, with these rules:

* mappings (``teams``, ``cards``, ``spacing``, a zone) merge key by key, recursively;
* ``zones`` merge **by id**: a zone whose ``id`` exists in the base updates that zone
  (only the keys it gives), a new ``id`` is added after the base's zones;
* every other list (``board_rows``, ``team_rows``, a zone's ``groups``, ``teams.names``)
  and every scalar replaces the base's value wholesale;
* ``extends`` itself is not inherited. A zone left out of both row lists is not drawn,
  which is how a layout drops a zone of its base.

Problems found after merging point at the file (and line) the faulty value came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gria_miro.board import ZoneRole
from gria_miro.errors import InputFileError, Loc, Problem
from gria_miro.layout.model import ZONE_MODELS, Layout, LayoutHead, ZoneSpec, check_layout
from gria_miro.resources import DEFAULT_LAYOUT, resolve
from gria_miro.sourcefile import YamlDocument, load_yaml, validation_problems

KIND = "disposition"
MAX_DEPTH = 16


def load_layout(ref: str | Path | None = None) -> Layout:
    """The layout at ``ref`` (a path or a shipped layout's name; default: ``randonnee``)."""
    path = resolve(ref, "layouts", DEFAULT_LAYOUT)
    chain = _load_chain(path)
    return layout_from_chain(chain)


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or Path(ref).suffix != ""


def _load_chain(path: Path) -> list[YamlDocument]:
    """The documents of ``path`` and its ``extends`` ancestors, base first."""
    chain: list[YamlDocument] = []
    seen: list[Path] = []
    current = path
    while True:
        seen.append(current.resolve())
        doc = load_yaml(current, KIND)
        if not isinstance(doc.data, dict):
            raise InputFileError(KIND, doc.path, [doc.problem((), "la disposition doit être un objet (title, zones…)")])
        chain.append(doc)
        ref = doc.data.get("extends")
        if ref is None:
            break
        if not isinstance(ref, str) or not ref.strip():
            raise InputFileError(KIND, doc.path, [doc.problem(("extends",), "extends : nom ou chemin attendu")])
        ref = ref.strip()
        parent = _extends_target(doc, ref, current)
        if parent.resolve() in seen:
            cycle = " → ".join([*(p.name for p in seen), parent.name])
            raise InputFileError(KIND, doc.path, [doc.problem(("extends",), f"boucle d'héritage (extends) : {cycle}")])
        if len(seen) >= MAX_DEPTH:
            raise InputFileError(
                KIND, doc.path, [doc.problem(("extends",), f"trop de niveaux d'héritage (au plus {MAX_DEPTH})")]
            )
        current = parent
    chain.reverse()
    return chain


def _extends_target(doc: YamlDocument, ref: str, current: Path) -> Path:
    """The file ``extends: ref`` names: a path relative to ``current``'s folder, or a shipped layout."""
    if _looks_like_path(ref):
        target = (current.parent / Path(ref).expanduser()).resolve()
        if not target.is_file():
            raise InputFileError(
                KIND, doc.path, [doc.problem(("extends",), f"extends : fichier introuvable « {ref} » ({target})")]
            )
        return target
    try:
        return resolve(ref, "layouts", DEFAULT_LAYOUT)
    except InputFileError as exc:
        message = exc.problems[0].message if exc.problems else "disposition introuvable"
        raise InputFileError(KIND, doc.path, [doc.problem(("extends",), f"extends « {ref} » : {message}")]) from None


# --- merging, keeping where every value came from ---------------------------------------------

Origin = tuple[YamlDocument, Loc]


class MergedSource:
    """The merged data of an ``extends`` chain and, for each value, the file and place it came from."""

    def __init__(self, chain: list[YamlDocument]) -> None:
        self.chain = chain
        self.origins: dict[Loc, Origin] = {}
        self.data: Any = None
        for doc in chain:
            if self.data is None:
                self.data = self._take(doc.data, (), (), doc)
            else:
                self.data = self._merge(self.data, doc.data, (), (), doc)
        if isinstance(self.data, dict):
            self.data.pop("extends", None)

    @property
    def path(self) -> str:
        return self.chain[-1].path

    def _take(self, value: Any, mloc: Loc, oloc: Loc, doc: YamlDocument) -> Any:
        """Record the origin of ``value`` and all it holds (placed at ``mloc``), return it."""
        for stale in [loc for loc in self.origins if loc[: len(mloc)] == mloc]:
            del self.origins[stale]
        self._index(value, mloc, oloc, doc)
        return value

    def _index(self, value: Any, mloc: Loc, oloc: Loc, doc: YamlDocument) -> None:
        self.origins[mloc] = (doc, oloc)
        if isinstance(value, dict):
            for key, child in value.items():
                self._index(child, (*mloc, key), (*oloc, key), doc)
        elif isinstance(value, list):
            for i, child in enumerate(value):
                self._index(child, (*mloc, i), (*oloc, i), doc)

    def _merge(self, base: Any, over: Any, mloc: Loc, oloc: Loc, doc: YamlDocument) -> Any:
        if not (isinstance(base, dict) and isinstance(over, dict)):
            return self._take(over, mloc, oloc, doc)
        result = dict(base)
        self.origins[mloc] = (doc, oloc)
        for key, value in over.items():
            child_m, child_o = (*mloc, key), (*oloc, key)
            if mloc == () and key == "zones" and isinstance(base.get(key), list) and isinstance(value, list):
                result[key] = self._merge_zones(base[key], value, doc)
            elif key in base:
                result[key] = self._merge(base[key], value, child_m, child_o, doc)
            else:
                result[key] = self._take(value, child_m, child_o, doc)
        return result

    def _merge_zones(self, base: list[Any], over: list[Any], doc: YamlDocument) -> list[Any]:
        """Zones merge by id: same id → that zone updated; new id → appended."""
        result = list(base)
        index_of = {z["id"]: i for i, z in enumerate(base) if isinstance(z, dict) and isinstance(z.get("id"), str)}
        for j, zone in enumerate(over):
            zone_id = zone.get("id") if isinstance(zone, dict) else None
            if isinstance(zone_id, str) and zone_id in index_of:
                i = index_of[zone_id]
                result[i] = self._merge(base[i], zone, ("zones", i), ("zones", j), doc)
            else:
                result.append(self._take(zone, ("zones", len(result)), ("zones", j), doc))
        return result

    # --- located problems ---

    def origin(self, loc: Loc) -> Origin:
        parts = tuple(loc)
        while parts and parts not in self.origins:
            parts = parts[:-1]
        return self.origins.get(parts, (self.chain[-1], ()))

    def problem(self, loc: Loc, message: str) -> Problem:
        doc, oloc = self.origin(loc)
        return doc.problem(oloc, message)

    def validation_problems(self, exc: ValidationError, prefix: Loc = ()) -> list[Problem]:
        """Each pydantic error located in the file its value came from."""
        per_doc: dict[int, list[Problem]] = {}
        for doc in self.chain:
            view = YamlDocument(doc.path, None)
            for mloc, (origin_doc, oloc) in self.origins.items():
                if origin_doc is doc:
                    line, column = doc.where(oloc)
                    if line is not None and column is not None:
                        view.marks[mloc] = (line, column)
            per_doc[id(doc)] = validation_problems(view, exc, prefix)
        problems = []
        for i, error in enumerate(exc.errors(include_url=False)):
            loc = (*prefix, *error["loc"])
            owner, _ = self.origin(loc[:-1] if error["type"] == "missing" else loc)
            problems.append(per_doc[id(owner)][i])
        return problems


def layout_from_chain(chain: list[YamlDocument]) -> Layout:
    """Merge an ``extends`` chain (base first) and validate it, collecting every problem before raising."""
    source = MergedSource(chain)
    data: dict[str, Any] = source.data
    problems: list[Problem] = []
    head: LayoutHead | None = None
    try:
        head = LayoutHead.model_validate({k: v for k, v in data.items() if k != "zones"})
    except ValidationError as exc:
        problems += source.validation_problems(exc)
    zones: list[tuple[int, ZoneSpec]] = []
    invalid_ids: set[str] = set()
    raw_zones = data.get("zones")
    kinds = ", ".join(role.value for role in ZoneRole)
    if raw_zones is None:
        problems.append(source.problem((), "champ obligatoire manquant : « zones »"))
    elif not isinstance(raw_zones, list):
        problems.append(source.problem(("zones",), "zones : liste attendue"))
    else:
        for i, raw in enumerate(raw_zones):
            zone, zone_problems = _zone(source, i, raw, kinds)
            problems += zone_problems
            if zone is not None:
                zones.append((i, zone))
            elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
                invalid_ids.add(raw["id"])
    if head is not None:
        problems += [source.problem(loc, message) for loc, message in check_layout(head, zones, frozenset(invalid_ids))]
    if problems or head is None:
        raise InputFileError(KIND, source.path, problems)
    name = head.name or Path(source.path).stem
    fields = {key: getattr(head, key) for key in LayoutHead.model_fields}
    return Layout.model_validate({**fields, "name": name, "zones": tuple(zone for _, zone in zones)})


def _zone(source: MergedSource, index: int, raw: Any, kinds: str) -> tuple[ZoneSpec | None, list[Problem]]:
    loc: Loc = ("zones", index)
    if not isinstance(raw, dict):
        return None, [source.problem(loc, f"zones[{index}] : objet attendu (id, kind, label…)")]
    kind = raw.get("kind")
    if kind is None:
        return None, [source.problem(loc, f"zones[{index}] : champ obligatoire manquant : « kind » ({kinds})")]
    if not isinstance(kind, str) or kind not in ZoneRole.__members__.values():
        message = f"zones[{index}].kind : type de zone inconnu « {kind} » ; types possibles : {kinds}"
        return None, [source.problem((*loc, "kind"), message)]
    try:
        return ZONE_MODELS[ZoneRole(kind)].model_validate(raw), []
    except ValidationError as exc:
        return None, source.validation_problems(exc, loc)
