# SPDX-License-Identifier: EUPL-1.2
"""The heads of every chain made at migration, not at the first write (issue #16).

A head was made when a writer first needed it: in a new PostgreSQL database the first two writers both
inserted the missing heads, and the second waited for the first one's uncommitted insert of the same keys.
Now the ``OMZIEN_AUDIT_CHAINS`` heads (one on SQLite) exist from the start. A head with no entries is an empty
chain to ``omzien audit verify`` (it ends at entry 0 with the starting hash) and has nothing to expire; heads
are still made when first needed when ``OMZIEN_AUDIT_CHAINS`` is raised later, or in a test database emptied
between tests.
"""

from django.conf import settings
from django.db import migrations


def chain_heads(apps, schema_editor):
    chains = (
        max(1, int(settings.OMZIEN_AUDIT_CHAINS)) if schema_editor.connection.vendor == "postgresql" else 1
    )
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.bulk_create([head(pk=pk) for pk in range(1, chains + 1)], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_chains")]
    operations = [migrations.RunPython(chain_heads, migrations.RunPython.noop)]
