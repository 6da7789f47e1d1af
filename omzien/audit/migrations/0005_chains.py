# SPDX-License-Identifier: EUPL-1.2
"""Several chains side by side (issue 26): the entries written so far are chain 1, numbered as before.

On PostgreSQL ``sequence`` comes from a database sequence from now on (``audit_entry_sequence``), so that
writers on different chains do not wait for one counter; it starts after the highest entry. The entries are
given their place in chain 1 by the migrating role (the owner, which may still update the table; the
application's role may not, migration 0002).
"""

from django.db import migrations, models

SEQUENCE = "audit_entry_sequence"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("GRANT UPDATE ON TABLE audit_accesslogentry TO CURRENT_USER")
        cursor.execute("UPDATE audit_accesslogentry SET chain_position = sequence")
        cursor.execute("UPDATE audit_auditchainhead SET last_position = last_sequence")
        cursor.execute("UPDATE audit_auditchainanchor SET first_position = first_sequence")
        if connection.vendor == "postgresql":
            cursor.execute("REVOKE UPDATE ON TABLE audit_accesslogentry FROM CURRENT_USER")
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint")
            cursor.execute(
                f"SELECT setval('{SEQUENCE}', GREATEST((SELECT max(sequence) FROM audit_accesslogentry), 0) + 1, false)"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_anchor")]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="chain",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="chain_position",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="last_position",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditchainanchor",
            name="first_position",
            field=models.BigIntegerField(default=1),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="auditchainanchor", name="first_sequence"),
        migrations.AlterField(
            model_name="accesslogentry",
            name="chain_position",
            field=models.BigIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(
                fields=("chain", "chain_position"), name="audit_entry_place_in_chain"
            ),
        ),
    ]
