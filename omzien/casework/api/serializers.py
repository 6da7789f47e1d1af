# SPDX-License-Identifier: EUPL-1.2
"""The partner API's shapes: a signal in, and its status out (never the triage outcome)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from rest_framework import serializers

from omzien.casework.models import Answer, Signal, Status, Urgency
from omzien.casework.services import SignalData, route_for_postcode
from omzien.geo.validators import postcode_clean


class SignalInSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    street = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    house_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=8, help_text="Dutch postcode of the resident, e.g. 3561AB.")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    how_to_reach = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    concern = serializers.CharField(max_length=4000, help_text="What the reporter noticed.")
    resident_knows = serializers.ChoiceField(choices=Answer.choices, default=Answer.UNKNOWN)
    resident_agrees = serializers.ChoiceField(choices=Answer.choices, default=Answer.UNKNOWN)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    reporter_name = serializers.CharField(max_length=150, help_text="The professional who reports.")
    reporter_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    reporter_email = serializers.EmailField(required=False, allow_blank=True, default="")
    wants_closing_message = serializers.BooleanField(default=False)

    def validate_postcode(self, value: str) -> str:
        code = postcode_clean(value, required=True)
        if route_for_postcode(code) is None:
            raise serializers.ValidationError("No neighbourhood team answers for this postcode.")
        return code

    def validate_date_of_birth(self, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= timezone.localdate():
            raise serializers.ValidationError("Date of birth out of range.")
        return value

    def validate_concern(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Say what was noticed.")
        return value.strip()

    def signal_data(self, organisation_name: str) -> SignalData:
        data = dict(self.validated_data)
        return SignalData(**data, reporter_relation="professional", reporter_organisation_name=organisation_name)


class SignalStatusSerializer(serializers.ModelSerializer[Signal]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.SerializerMethodField(help_text="received, in_progress or handled (never the outcome).")

    class Meta:
        model = Signal
        fields = ["id", "reference", "received_at", "status"]

    def get_status(self, signal: Signal) -> str:
        return {Status.NEW: "received", Status.ASSIGNED: "in_progress"}.get(signal.status, "handled")  # type: ignore[call-overload]
