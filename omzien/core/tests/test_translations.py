# SPDX-License-Identifier: EUPL-1.2
"""The UI speaks Dutch first: every string has a Dutch translation that keeps its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

import polib

PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w*\}")
PO_FILE = Path(settings.BASE_DIR) / "omzien" / "conf" / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_dutch_translation_with_the_same_placeholders() -> None:
    catalogue = polib.pofile(str(PO_FILE))
    untranslated, broken = [], []
    for entry in catalogue:
        if entry.obsolete:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(translations):
            untranslated.append(entry.msgid)
            continue
        # A plural's first form keeps the singular's placeholders ("once" may name no count), the
        # other forms the plural's.
        sources = [entry.msgid] + [entry.msgid_plural] * (len(translations) - 1)
        if any(
            sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source))
            for text, source in zip(translations, sources, strict=True)
        ):
            broken.append(entry.msgid)
    assert untranslated == [], "run makemessages and translate these"
    assert broken == []


def test_no_string_is_translated_twice() -> None:
    # The catalogue merges by union (.gitattributes): two branches adding one string leave it twice,
    # which msgfmt refuses and gettext would resolve by chance.
    seen: set[tuple[str, str]] = set()
    twice = []
    for entry in polib.pofile(str(PO_FILE)):
        key = (entry.msgctxt or "", entry.msgid)
        if key in seen:
            twice.append(entry.msgid)
        seen.add(key)
    assert twice == []
