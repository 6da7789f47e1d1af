# SPDX-License-Identifier: EUPL-1.2
"""The starting taxonomy: interests and target groups. Maintained in the admin from here on."""

import uuid

from django.db import migrations

INTERESTS = [
    ("ontmoeten", "Ontmoeten en koffie", "Meeting people and coffee"),
    ("koken", "Koken", "Cooking"),
    ("samen-eten", "Samen eten", "Shared meals"),
    ("wandelen", "Wandelen", "Walking"),
    ("bewegen", "Bewegen en gymnastiek", "Exercise"),
    ("muziek", "Muziek en zingen", "Music and singing"),
    ("handwerken", "Handwerken", "Needlework"),
    ("creatief", "Creatief en schilderen", "Arts and crafts"),
    ("tuinieren", "Tuinieren", "Gardening"),
    ("spelletjes", "Spelletjes en bingo", "Games and bingo"),
    ("digitaal", "Computer, tablet en telefoon", "Computer, tablet and phone"),
    ("lezen", "Lezen en verhalen", "Reading and stories"),
    ("taal", "Taal oefenen", "Practising Dutch"),
    ("cultuur", "Cultuur en uitstapjes", "Culture and outings"),
    ("klussen", "Klussen en werken", "Odd jobs and work"),
    ("geloof", "Geloof en zingeving", "Faith and meaning"),
]
TARGET_GROUPS = [
    ("65-plus", "65-plussers", "People aged 65 and over"),
    ("psychische-kwetsbaarheid", "Mensen met een psychische kwetsbaarheid", "People with a psychiatric vulnerability"),
    ("dementie", "Mensen met (beginnende) dementie", "People with (early) dementia"),
    ("chineessprekende-ouderen", "Chineessprekende ouderen", "Chinese-speaking elderly"),
    ("surinaamse-ouderen", "Surinaamse ouderen", "Surinamese elderly"),
    ("mantelzorgers", "Mantelzorgers", "Informal carers"),
    ("nieuwkomers", "Nieuwkomers", "Newcomers"),
    ("beperking", "Mensen met een beperking", "People with a disability"),
    ("iedereen", "Iedereen", "Everyone"),
]


# Terms get the same id in every Omzien installation (UUIDv5 of taxonomy and code), so directories
# exchanged as Open Referral documents name the same terms with the same ids.
TERM_NAMESPACE = uuid.UUID("0c5bd0a4-3f1e-4b8e-9d57-4f0e1f6c2a11")


def add_terms(apps, schema_editor):
    Term = apps.get_model("activities", "Term")
    for vocabulary, terms in (("interest", INTERESTS), ("target_group", TARGET_GROUPS)):
        for code, name, name_en in terms:
            Term.objects.update_or_create(
                vocabulary=vocabulary, code=code,
                defaults={"name": name, "name_en": name_en,
                          "public_id": uuid.uuid5(TERM_NAMESPACE, f"{vocabulary}:{code}")},
            )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
