# SPDX-License-Identifier: EUPL-1.2
# Residents have no admin pages on purpose: an administrator manages accounts, not cases, and every
# look at a resident must go through residents.permissions and the access log.
