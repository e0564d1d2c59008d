"""Fills the English catalog, whose message ids are already the English text.

`pybabel update` adds each new string to every catalog with an empty msgstr. For English that
text is the msgid itself, so `make locales` runs this right after the update:

    python -m bot.i18n.fill_source locales/en/LC_MESSAGES/messages.po

Every msgstr becomes its msgid (both forms of a plural), fuzzy marks go: to change the English
wording, change the string in the code. The file is rewritten only when something changed, and
wrapped as `pybabel update` wraps it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

WIDTH = 76  # pybabel's default, so a filled catalog is wrapped as `pybabel update` wraps it


def _source_text(message: Message, plurals: int) -> str | tuple[str, ...]:
    if isinstance(message.id, (list, tuple)):
        singular, plural = message.id
        return (str(singular), *[str(plural)] * (plurals - 1))
    return str(message.id)


def fill(catalog: Catalog) -> int:
    """Sets every msgstr to its msgid; returns how many entries changed."""
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        text = _source_text(message, int(catalog.num_plurals))
        if message.string == text and not message.fuzzy:
            continue
        message.string = text
        message.flags.discard("fuzzy")
        changed += 1
    return changed


def fill_file(path: Path) -> int:
    with path.open("rb") as f:
        catalog = read_po(f)
    changed = fill(catalog)
    if changed:
        with path.open("wb") as f:
            write_po(f, catalog, width=WIDTH)
    return changed


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m bot.i18n.fill_source CATALOG.po…", file=sys.stderr)
        return 2
    for name in argv:
        changed = fill_file(Path(name))
        print(f"{name}: {changed} English entries filled from their msgids")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
