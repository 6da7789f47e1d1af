# SPDX-License-Identifier: EUPL-1.2
"""What a volunteer's profile says, as plain vocabularies the forms, the demo and matching share.

Availability is a bit mask in the activities room's layout (bit ``3 × weekday + part``; parts are
morning, afternoon, evening), so a volunteer's free times and an activity's or a request's times
compare with one AND.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PARTS = (("morning", _("morning")), ("afternoon", _("afternoon")), ("evening", _("evening")))
DAYS = (
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"),
)  # fmt: skip
ALL_SLOTS = (1 << 21) - 1

# ISO 639 codes. Chinese is asked as the spoken language (Cantonese or Mandarin): a visitor for
# CSP 't Zonnetje must speak what the elderly person speaks. Residents' records may still say "zh".
LANGUAGES = [
    ("nl", _("Dutch")), ("en", _("English")), ("ar", _("Arabic")), ("tr", _("Turkish")), ("ber", _("Tamazight")),
    ("yue", _("Cantonese")), ("cmn", _("Mandarin")), ("srn", _("Sranan Tongo")), ("pap", _("Papiamento")),
    ("pl", _("Polish")), ("es", _("Spanish")), ("fr", _("French")), ("de", _("German")),
]  # fmt: skip
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGES)
# A resident's "zh" is met by a volunteer who speaks either Chinese language (matching reads this).
SAME_LANGUAGE_GROUP = {"yue": "zh", "cmn": "zh"}


def slot_bit(weekday: int, part: int) -> int:
    return 1 << (3 * weekday + part)


def slots_from_mask(mask: int) -> list[tuple[int, int]]:
    """The (weekday, part) pairs set in an availability mask."""
    return [(day, part) for day in range(7) for part in range(3) if mask & slot_bit(day, part)]


def mask_from_slots(slots: list[tuple[int, int]]) -> int:
    mask = 0
    for day, part in slots:
        mask |= slot_bit(day, part)
    return mask


def slots_text(mask: int) -> str:
    """The availability in words, e.g. "Monday morning, Thursday afternoon and evening"."""
    by_day: dict[int, list[str]] = {}
    for day, part in slots_from_mask(mask):
        by_day.setdefault(day, []).append(str(PARTS[part][1]))
    return "; ".join(f"{DAYS[day]} {', '.join(parts)}" for day, parts in by_day.items())


def language_names(codes: list[str]) -> str:
    """The languages in words, in the page's language (unknown codes as they are)."""
    names = dict(LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in codes)
