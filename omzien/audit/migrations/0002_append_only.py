# SPDX-License-Identifier: EUPL-1.2
"""Make the access log append-only for the application's own database role (PostgreSQL).

TRUNCATE stays possible so that test databases can be flushed; a truncated log is still detected by
``omzien audit verify`` through the chain head. Purging entries past their retention period is done
by a separate maintenance role, never by the application.
"""

from django.db import migrations


def revoke(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("REVOKE UPDATE, DELETE ON TABLE audit_accesslogentry FROM CURRENT_USER")


def regrant(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("GRANT UPDATE, DELETE ON TABLE audit_accesslogentry TO CURRENT_USER")


def chain_head(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(revoke, regrant),
        migrations.RunPython(chain_head, migrations.RunPython.noop),
    ]
