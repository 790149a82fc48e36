"""Miro's HTML allow-lists: the tags each text field keeps; every other tag is stripped, its text kept.

One responsibility: clean the rich text of a create or update body as Miro does ("everything else is
automatically stripped", notes §2 "HTML allowed", from Miro's REST data reference). A field whose tags
are all allowed is kept exactly as sent. A stripped tag keeps its inner text, except ``script`` and
``style`` whose content goes too; comments go.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from gria_miro.localboard.records import JSON

#: (item type, data field) → the tags Miro keeps there.
ALLOWED_TAGS: dict[tuple[str, str], frozenset[str]] = {
    ("card", "title"): frozenset({"p", "a", "br"}),
    ("app_card", "title"): frozenset({"p", "a", "br"}),
    ("card", "description"): frozenset({"p", "a", "strong", "b", "em", "i", "u", "ol", "ul", "li", "br"}),
    ("app_card", "description"): frozenset({"p", "a", "strong", "b", "em", "i", "u", "ol", "ul", "li", "br"}),
    ("sticky_note", "content"): frozenset({"p", "a", "strong", "b", "em", "i", "u", "s", "span", "br"}),
    ("shape", "content"): frozenset({"p", "a", "strong", "b", "em", "i", "u", "s", "span", "br"}),
    ("text", "content"): frozenset({"p", "a", "strong", "b", "em", "i", "u", "s", "span", "ol", "ul", "li", "br"}),
}
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)|<!--")
_DROP_CONTENT = frozenset({"script", "style"})


class _Cleaner(HTMLParser):
    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.allowed = allowed
        self.out: list[str] = []
        self._dropping = 0

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        return "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._dropping += 1
        elif tag in self.allowed and not self._dropping:
            self.out.append(f"<{tag}{self._attrs(attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.allowed and not self._dropping:
            self.out.append(f"<{tag}{self._attrs(attrs)}/>" if tag != "br" else "<br/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self._dropping = max(0, self._dropping - 1)
        elif tag in self.allowed and not self._dropping:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self._dropping:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self._dropping:
            self.out.append(f"&#{name};")


def clean(text: str, allowed: frozenset[str]) -> str:
    """``text`` with the tags outside ``allowed`` stripped (unchanged when there are none)."""
    found = _TAG_NAME.findall(text)
    if all(name and name.lower() in allowed for name in found):
        return text
    cleaner = _Cleaner(allowed)
    cleaner.feed(text)
    cleaner.close()
    return "".join(cleaner.out)


def clean_data(item_type: str, data: JSON) -> JSON:
    """``data`` with each rich-text field cleaned by its allow-list (the others untouched)."""
    out = dict(data)
    for (kind, name), allowed in ALLOWED_TAGS.items():
        if kind == item_type and isinstance(out.get(name), str):
            out[name] = clean(out[name], allowed)
    return out
