# SPDX-License-Identifier: EUPL-1.2
"""Monitor editions: the stored, never-edited result of one estimation, and the runs that make them.

An ``EstimationRun`` is the job (it changes while the task works; it holds the uploaded files until
the task has read them). An ``Edition`` is created once, at the end of a successful run or by the demo,
with its ``Figure`` rows as the statistical core returned them; nothing changes it afterwards. Making
it public is a separate ``Publication`` row, so the edition itself stays as it was estimated.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _

INDICATOR_LABELS = {
    "lonely": _("lonely (moderately to very severely)"),
    "moderate": _("moderately lonely"),
    "severe": _("(very) severely lonely"),
    "social": _("socially lonely"),
    "emotional": _("emotionally lonely"),
}


class Edition(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("uploaded survey")
        DEMO = "demo", _("synthetic demo survey")

    title = models.CharField(_("title"), max_length=200)
    fieldwork_date = models.DateField(_("date of the survey"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(_("source files"), max_length=400, blank=True)
    method = models.TextField(_("method"))
    settings = models.JSONField(_("settings"), default=dict)
    code_version = models.CharField(_("code version"), max_length=80)
    area_levels = models.CharField(_("area levels"), max_length=20)  # "wijk" or "wijk,buurt"
    waves = models.JSONField(_("waves"), default=list)
    respondents = models.PositiveIntegerField(_("respondents"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))  # fmt: skip

    class Meta:
        ordering = ["-fieldwork_date", "-pk"]
        verbose_name = _("monitor edition")
        verbose_name_plural = _("monitor editions")
        permissions = [
            ("run_estimation", "Can upload a survey and estimate a monitor edition"),
            ("publish_edition", "Can publish a monitor edition as open data"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def levels(self) -> list[str]:
        return self.area_levels.split(",")


class Figure(models.Model):
    """One row of the statistical core's long table (omzien.monitor.survey.OUTPUT_COLUMNS)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="figures")
    level = models.CharField(max_length=10)  # city, wijk, buurt, reference
    area_code = models.CharField(max_length=10, blank=True)
    wave = models.CharField(max_length=40, blank=True)
    indicator = models.CharField(max_length=12)
    kind = models.CharField(max_length=12)  # direct, model, suppressed, difference, reference
    respondents = models.PositiveIntegerField(null=True)
    estimate = models.FloatField(null=True)
    se = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    mse = models.FloatField(null=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["edition", "level", "indicator"])]

    def __str__(self) -> str:
        return f"{self.level} {self.area_code} {self.indicator} {self.kind}"


class Publication(models.Model):
    """An edition made open data: shown in the public API and CSV from ``published_at``."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="publication")
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")  # fmt: skip

    def __str__(self) -> str:
        return f"{self.edition_id} @ {self.published_at:%Y-%m-%d}"


class EstimationRun(models.Model):
    """A survey being estimated in the background; becomes an Edition when it succeeds."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("stopped: nothing was stored")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.PositiveSmallIntegerField(default=0)
    steps = models.PositiveSmallIntegerField(default=1)
    step_label = models.CharField(max_length=80, blank=True)
    problems = models.JSONField(default=list)
    parameters = models.JSONField(default=dict)  # title, date, levels, codes, map, min_cell, direct_min
    survey_name = models.CharField(max_length=200)
    margins_name = models.CharField(max_length=200)
    # The uploaded files, kept only until the task has read them (survey answers are sensitive).
    survey_file = models.BinaryField(null=True)
    margins_file = models.BinaryField(null=True)
    edition = models.OneToOneField(Edition, on_delete=models.SET_NULL, null=True, blank=True, related_name="run")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.survey_name} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.step / max(self.steps, 1))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class CouncilReport(models.Model):
    """A council information letter (raadsinformatiebrief): made once in the background, never edited.

    It keeps the aggregates it was made from (``figures``: counts, shares and intervals, small cells
    already suppressed) and the ids of the monitor editions, never a person's record, so erasing a
    resident never has to touch a report and the same report can be made again from ``figures``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("stopped: nothing was stored")

    title = models.CharField(_("title"), max_length=200)
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="council_reports",
                                verbose_name=_("monitor edition"))  # fmt: skip
    edition_ids = models.JSONField(_("monitor editions used"), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    parameters = models.JSONField(default=dict)
    figures = models.JSONField(_("aggregates"), default=dict)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    code_version = models.CharField(_("code version"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        permissions = [("make_councilreport", "Can make a council report and plan what-if scenarios")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WhatIfScenario(models.Model):
    """A saved what-if: a change in supply and what the allocation round would do with it (counts only).

    Nothing live changes: the matching engine is run on today's waiting requests with the changed
    supply, and only the counts are stored, next to today's round on the same data.
    """

    name = models.CharField(_("name"), max_length=120)
    parameters = models.JSONField(default=dict)  # the change, as chosen
    results = models.JSONField(default=dict)  # today's round and the changed round, as counts
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("what-if scenario")
        verbose_name_plural = _("what-if scenarios")

    def __str__(self) -> str:
        return self.name
