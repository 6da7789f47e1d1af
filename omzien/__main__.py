# SPDX-License-Identifier: EUPL-1.2
from omzien.cli import main

main()
