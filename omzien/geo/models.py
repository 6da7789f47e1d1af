# SPDX-License-Identifier: EUPL-1.2
"""Areas with their CBS codes: gemeente (GM), wijk (WK) and buurt (BU), and postcodes.

Boundaries are stored as GeoJSON geometries in WGS84 (lon/lat), so no GIS extension is needed
on SQLite or PostgreSQL; point-in-polygon look-ups use Shapely in ``selectors``.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """Fields every kind of area shares."""

    name = models.CharField(_("name"), max_length=120)
    population = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("year of the population figure"), null=True, blank=True
    )
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON, WGS84)"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("contains synthetic data"),
        default=False,
        help_text=_("Some of this area's data is made up for the demo."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"  # type: ignore[attr-defined]


class Municipality(Area):
    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[RegexValidator(r"^GM\d{4}$")]
    )

    class Meta(Area.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class District(Area):
    """A wijk: CBS code WK + 4-digit municipality + 2-digit district number."""

    code = models.CharField(
        _("CBS code"), max_length=8, unique=True, validators=[RegexValidator(r"^WK\d{6}$")]
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")

    class Meta(Area.Meta):
        verbose_name = _("district (wijk)")
        verbose_name_plural = _("districts (wijken)")


class Neighbourhood(Area):
    """A buurt: CBS code BU + the district's 6 digits + 2-digit neighbourhood number."""

    code = models.CharField(
        _("CBS code"), max_length=10, unique=True, validators=[RegexValidator(r"^BU\d{8}$")]
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="neighbourhoods")

    class Meta(Area.Meta):
        verbose_name = _("neighbourhood (buurt)")
        verbose_name_plural = _("neighbourhoods (buurten)")


class Postcode(models.Model):
    """A PC4 ('3511') or PC6 ('3511AB') postcode and the buurt it lies in (PC4: its main buurt)."""

    code = models.CharField(
        _("postcode"), max_length=6, unique=True, validators=[RegexValidator(r"^[1-9]\d{3}([A-Z]{2})?$")]
    )
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="postcodes")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
