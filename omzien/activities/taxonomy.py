# SPDX-License-Identifier: EUPL-1.2
"""The starting taxonomy: interests and target groups. Maintained in the admin from here on.

``taxonomy_sync`` adds any starting term that is missing (it never changes an edited one); it runs
in migration 0002 and after every migrate or test-database flush, as the roles do.
"""

from __future__ import annotations

import uuid
from typing import Any

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
    (
        "psychische-kwetsbaarheid",
        "Mensen met een psychische kwetsbaarheid",
        "People with a psychiatric vulnerability",
    ),
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


def term_id(vocabulary: str, code: str) -> uuid.UUID:
    return uuid.uuid5(TERM_NAMESPACE, f"{vocabulary}:{code}")


def taxonomy_sync(apps: Any = None) -> int:
    """Create the starting terms that are missing; return how many were created."""
    if apps is None:
        from django.apps import apps as installed

        apps = installed
    Term = apps.get_model("activities", "Term")  # noqa: N806 - a model class
    created = 0
    for vocabulary, terms in (("interest", INTERESTS), ("target_group", TARGET_GROUPS)):
        for code, name, name_en in terms:
            _term, made = Term.objects.get_or_create(
                vocabulary=vocabulary, code=code,
                defaults={"name": name, "name_en": name_en, "public_id": term_id(vocabulary, code)},
            )  # fmt: skip
            created += made
    return created
