# SPDX-License-Identifier: EUPL-1.2
# The access log has no admin pages on purpose: it is read through the auditor view (two factors,
# itself logged) and is never edited.
