# SPDX-License-Identifier: EUPL-1.2
"""The municipality's policy as data: values rooms declare (``PolicyDecl``), changed in the admin.

``from omzien import policy; policy.get("activities.offer_hours")`` returns the current value, typed by
the declaration's kind. Nothing here imports a model at import time, so any module may import it.
"""

from omzien.policy.store import clear_cache, declaration, declarations, get, set_value, sync

__all__ = ["clear_cache", "declaration", "declarations", "get", "set_value", "sync"]
