# SPDX-License-Identifier: EUPL-1.2
"""A resident's request under the AVG (articles 15-21) and what the privacy officer decided.

The request outlives an erasure it grants: the municipality must be able to show that it handled it
(AVG art. 5(2) and 12), so the resident's link is cut and only the pseudonymous id stays.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.residents.models import Resident


class RequestKind(models.TextChoices):
    ACCESS = "access", _("see and download my data (art. 15 and 20)")
    RECTIFICATION = "rectification", _("correct my data (art. 16)")
    ERASURE = "erasure", _("erase my data (art. 17)")
    RESTRICTION = "restriction", _("restrict the use of my data (art. 18)")
    OBJECTION = "objection", _("object to the use of my data (art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    EXTENDED = "extended", _("deadline extended")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.EXTENDED)


class PrivacyRequest(models.Model):
    """One AVG request: what the resident asked, the legal deadline, and the reasoned decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="privacy_requests"
    )
    # Kept after an erasure: the access log and this request still line up, without a name.
    resident_pseudo_id = models.UUIDField(db_index=True)
    kind = models.CharField(_("what you ask"), max_length=20, choices=RequestKind.choices)
    explanation = models.TextField(_("explanation"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("answer due"))
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(_("reasons"), blank=True)
    # For a granted erasure: what each room removed, and what it kept with its legal ground.
    erasure_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            # The same request twice while the first is open: the service refuses it with a message, and this
            # refuses it when two submits race (a double click).
            models.UniqueConstraint(
                fields=["resident", "kind"], condition=models.Q(status__in=["received", "extended"]),
                name="rights_one_open_request_per_kind",
            ),
        ]  # fmt: skip
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        permissions = [("handle_privacy_request", "Can handle residents' AVG requests")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RetentionRun(models.Model):
    """One application of every room's retention rules by ``omzien tick``: what each rule removed.

    Counts only, never what the records held: this is the report the privacy officer reads.
    """

    ran_at = models.DateTimeField(db_index=True)
    removed = models.PositiveIntegerField(default=0)
    # [{"room", "key", "description", "basis", "count"}], one per rule.
    lines = models.JSONField(default=list)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} ({self.removed})"


class LinkCode(models.Model):
    """A one-time code the neighbourhood team hands a resident, to link their first DigiD login to their record.

    Only a keyed hash of the code is stored (HMAC-SHA256 with the subject key: a copy of the database does not
    reveal a code that still works). Single use, expiring; a new code replaces the resident's earlier ones.
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="link_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Replaced by a newer code, or used: no longer valid either way.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("link code")
        verbose_name_plural = _("link codes")

    def __str__(self) -> str:
        return f"link code {self.pk} ({self.created_at:%Y-%m-%d})"


class ExportPdf(models.Model):
    """A resident's readable copy of all their data (AVG art. 15), made in the background and downloaded.

    WeasyPrint lays out a full record in a second or more, longer than a page may take (issue #16), so the
    resident asks for it, the task worker makes it, and the page offers the download when it is ready. The
    PDF is personal data at rest: one per resident (a new request replaces the old), removed with the
    resident and, by the retention rule ``export_pdfs``, a day after it was asked for.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("stopped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="export_pdfs")
    language = models.CharField(max_length=10, default="nl")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pdf = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("readable export (PDF)")
        verbose_name_plural = _("readable exports (PDF)")

    def __str__(self) -> str:
        return f"export {self.pk} ({self.created_at:%Y-%m-%d %H:%M}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
