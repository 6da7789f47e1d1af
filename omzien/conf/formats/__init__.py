# SPDX-License-Identifier: EUPL-1.2
"""How each language writes a date in a table or a list (``FORMAT_MODULE_PATH``): the one home of that rule.

Templates write ``|date:"SHORT_DATE_FORMAT"`` ("3 dec 2026" in Dutch, "3 Dec 2026" in English),
``"SHORT_DATETIME_FORMAT"`` (with the time) and ``"MONTH_DAY_FORMAT"`` ("3 dec", "3 Dec"), never Django's
``"M"`` itself: it title-cases the Dutch abbreviation ("Dec", "Mrt"), which reads as English. Django's own
formats for each language fill in the rest.
"""
