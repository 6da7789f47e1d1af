# SPDX-License-Identifier: EUPL-1.2
"""The starting taxonomy: interests and target groups (``activities.taxonomy``)."""

from django.db import migrations

from omzien.activities.taxonomy import taxonomy_sync


def add_terms(apps, schema_editor):
    taxonomy_sync(apps)


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
