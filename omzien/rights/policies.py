# SPDX-License-Identifier: EUPL-1.2
"""The municipal policy the rights room reads: who is the controller, how to reach the privacy officer,
and the fields of the accessibility statement the municipality fills in after its audit."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl

CONTROLLER = PolicyDecl(
    key="rights.controller",
    label=_("Controller (verwerkingsverantwoordelijke) named in the privacy statement"),
    kind="text",
    default="College van burgemeester en wethouders van Utrecht, Stadsplateau 1, 3521 AZ Utrecht",
)
PRIVACY_CONTACT = PolicyDecl(
    key="rights.privacy_contact",
    label=_("How residents reach the privacy officer and the data protection officer"),
    kind="text",
    default="Functionaris gegevensbescherming, gemeente Utrecht, Postbus 16200, 3500 CE Utrecht; telefoon 14 030",
)
# The Dutch government's model statement (digitoegankelijk.nl, Besluit digitale toegankelijkheid
# overheid): its status comes from an audit the municipality commissions, so these are its fields.
ACCESSIBILITY = PolicyDecl(
    key="rights.accessibility_statement",
    label=_("Accessibility statement (model of the Dutch government)"),
    kind="json",
    default={
        "organisation": "Gemeente Utrecht",
        "scope": "Omzien",
        "status": "",
        "statement_date": "",
        "audit_by": "",
        "audit_date": "",
        "audit_report_url": "",
        "known_issues": [],
        "measures": "",
        "contact": "digitoegankelijkheid@utrecht.nl, telefoon 14 030",
        "complaints": "De Nationale ombudsman, www.nationaleombudsman.nl",
    },
    help_text=_(
        "Fill in after the audit: status A (fully compliant) to E (not compliant), the date of the statement, who "
        "audited and when, the report's address, the known issues and the measures planned."
    ),
)
REQUEST_RETENTION = PolicyDecl(
    key="rights.request_retention",
    label=_("How long a decided AVG request is kept"),
    kind="duration_days",
    default=timedelta(days=5 * 365),
    help_text=_(
        "Counted from the decision. The municipality must be able to show how it handled a request (AVG art. 5(2)); "
        "after this period the request and its decision are removed."
    ),
)
EXPORT_PDF_RETENTION = PolicyDecl(
    key="rights.export_pdf_retention",
    label=_("How long a resident's readable export (PDF) is kept for downloading"),
    kind="duration_days",
    default=timedelta(days=1),
    help_text=_(
        "Counted from the request. The PDF holds all of the resident's data; after this period it is removed "
        "and the resident asks for a new one."
    ),
)
# REQUEST_RETENTION and EXPORT_PDF_RETENTION are declared through the room's RetentionRules (the policy
# store reads them from there).
POLICIES = (CONTROLLER, PRIVACY_CONTACT, ACCESSIBILITY)
