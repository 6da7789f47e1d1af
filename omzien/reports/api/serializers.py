# SPDX-License-Identifier: EUPL-1.2
"""Open data serializers: editions and their aggregate, suppressed figures."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rest_framework import serializers

from omzien.reports.models import Edition, Figure


class FigureSerializer(serializers.ModelSerializer[Figure]):
    class Meta:
        model = Figure
        fields = ["level", "area_code", "wave", "indicator", "kind", "respondents", "estimate", "se", "ci_low",
                  "ci_high", "mse", "note"]  # fmt: skip
        extra_kwargs = {
            "level": {"help_text": "city, wijk or buurt"},
            "area_code": {"help_text": "CBS code (WK…/BU…); empty for the city"},
            "indicator": {"help_text": "lonely, moderate, severe, social or emotional (DJG-11)"},
            "kind": {"help_text": "direct, model (Fay–Herriot), suppressed (no numbers: too few respondents)"},
            "estimate": {"help_text": "a proportion (0.35 = 35 %)"},
            "ci_low": {"help_text": "lower end of the 95 % interval"},
            "ci_high": {"help_text": "upper end of the 95 % interval"},
            "mse": {"help_text": "mean squared error of a model estimate"},
        }


class EditionSerializer(serializers.ModelSerializer[Edition]):
    published_at = serializers.DateTimeField(source="publication.published_at", read_only=True)
    url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = ["id", "title", "fieldwork_date", "respondents", "area_levels", "waves", "method", "settings",
                  "code_version", "published_at", "url", "csv_url"]  # fmt: skip

    def get_url(self, edition: Edition) -> str:
        return self._absolute(reverse("reports:api_edition", args=[edition.pk]))

    def get_csv_url(self, edition: Edition) -> str:
        return self._absolute(reverse("reports:edition_csv", args=[edition.pk]))

    def _absolute(self, path: str) -> str:
        request: Any = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class EditionDetailSerializer(EditionSerializer):
    figures = FigureSerializer(many=True, read_only=True)

    class Meta(EditionSerializer.Meta):
        fields = [*EditionSerializer.Meta.fields, "figures"]
