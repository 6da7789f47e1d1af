# SPDX-License-Identifier: EUPL-1.2
"""Fill the Dutch catalogue from a dict file (msgid -> msgstr, or (id, plural) -> (one, many)); clears fuzzy.

Usage: python scripts/i18n/fill.py TRANSLATIONS.py   (the file defines NL = {...})
Prints every entry that is still untranslated afterwards.
"""

from __future__ import annotations

import runpy
import sys

import polib

CATALOGUE = "omzien/conf/locale/nl/LC_MESSAGES/django.po"


def main(path: str) -> int:
    table = runpy.run_path(path)["NL"]
    po = polib.pofile(CATALOGUE)
    for entry in po:
        key = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        if key in table:
            value = table[key]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgid_plural = None
    po.save(CATALOGUE)
    left = [e.msgid for e in po if "fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0))]
    for msgid in left:
        print("untranslated:", repr(msgid))
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
