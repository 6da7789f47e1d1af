# SPDX-License-Identifier: EUPL-1.2
# British order, as the Dutch pages: 3 Dec 2026, 1 Mar.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j M"
