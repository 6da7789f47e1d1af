# SPDX-License-Identifier: EUPL-1.2
"""The typed environment helpers moved to ``omzien.lib.env`` (so ``core``'s config_docs command need not
import ``conf``, which sits above it); this name stays for imports written before."""

from omzien.lib.env import *  # noqa: F403
from omzien.lib.env import render_markdown  # noqa: F401 - named for the readers of this module
