# SPDX-License-Identifier: EUPL-1.2
"""Spoken languages by their ISO 639 code, named in the page's language ("nl, ar" -> "Nederlands, Arabisch").

Records store codes (matching compares them); people read names. The table holds the languages the
forms offer; another code is named by Django's language table when it knows it, else shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

NAMES = {
    "nl": _("Dutch"), "en": _("English"), "ar": _("Arabic"), "tr": _("Turkish"), "ber": _("Tamazight"),
    "zh": _("Chinese"), "yue": _("Cantonese"), "cmn": _("Mandarin"), "srn": _("Sranan Tongo"),
    "pap": _("Papiamento"), "pl": _("Polish"), "es": _("Spanish"), "fr": _("French"), "de": _("German"),
}  # fmt: skip


def language_name(code: str) -> str:
    """The language's name in the active language (the code itself when unknown)."""
    if code in NAMES:
        return str(NAMES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_names(codes: Iterable[str] | str | None) -> str:
    """Several languages as one readable list ("Nederlands, Arabisch"); one code alone is a list of one."""
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(language_name(code) for code in codes or ())
