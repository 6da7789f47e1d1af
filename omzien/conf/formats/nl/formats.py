# SPDX-License-Identifier: EUPL-1.2
# Dutch abbreviates months in lower case ("b"): 3 dec 2026, 1 mrt.
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"
MONTH_DAY_FORMAT = "j b"
