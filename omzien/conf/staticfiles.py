# SPDX-License-Identifier: EUPL-1.2
"""Static files app with the npm packages' source and tooling files left out.

The packages ship SCSS/LESS sources, type definitions and a CSS file that references an icon it
does not ship (design-tokens' background-image-icon.css); collecting those would publish files
nobody needs and make the hashed-manifest step fail.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig


class OmzienStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "*.scss",
        "*.less",
        "*.d.ts",
        "*.cjs",
        "*.mjs",
        "*.md",
        "package.json",
        "LICENSE",
        "background-image-icon.css",
        "prince-xml.css",
        "theme-prince-xml.css",
        # Only the files the pages load are published (with the source maps they name): no token dumps or module
        # builds. Compressing those took most of collectstatic's minute of processor time.
        "*.json",
        "*-src.*",
        "*.esm.js",
        "*.amd.js",
        "*.cjs.js",
        "ext",  # htmx extensions: none is used
    ]
