# SPDX-License-Identifier: EUPL-1.2
"""The partner API: a partner system posts a signal with its organisation's key and follows its status."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from omzien.audit.events import client_ip_for
from omzien.casework import services
from omzien.casework.api.auth import HasOrganisationToken, OrganisationTokenAuthentication
from omzien.casework.api.serializers import SignalInSerializer, SignalStatusSerializer
from omzien.casework.models import Signal, Source
from omzien.casework.permissions import get_signal_for_token


class PartnerApi(APIView):
    """Logs every request made with (or without) a key, whatever its outcome."""

    authentication_classes = [OrganisationTokenAuthentication]
    permission_classes = [HasOrganisationToken]
    touched: Signal | None = None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        services.token_use_log(
            token=getattr(request, "_auth", None), method=request.method or "", path=request.path,
            status=response.status_code, client_ip=client_ip_for(request), signal=self.touched,
        )  # fmt: skip
        return response


@extend_schema(tags=["signals (partners)"])
class SignalCreate(PartnerApi):
    @extend_schema(
        summary="Report a worry about a resident (a signal, zorgmelding)",
        description="The signal goes to the buurtteam of the resident's postcode, with a response deadline in working days. "
        "The reporter is never named to the resident.",
        request=SignalInSerializer,
        responses={201: SignalStatusSerializer, 400: OpenApiResponse(description="Invalid input, per field"),
                   401: OpenApiResponse(description="Missing, unknown or revoked key")},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        token = request.auth
        serializer = SignalInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.touched = services.signal_create(
            data=serializer.signal_data(token.organisation.name), source=Source.PARTNER_API,
            actor=services.api_actor(token, client_ip_for(request)), reporter_organisation=token.organisation,
        )  # fmt: skip
        return Response(SignalStatusSerializer(self.touched).data, status=201)


@extend_schema(tags=["signals (partners)"])
class SignalStatus(PartnerApi):
    @extend_schema(
        summary="The status of a signal this organisation reported",
        responses={200: SignalStatusSerializer, 404: OpenApiResponse(description="Not this organisation's signal")},
    )  # fmt: skip
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        signal = get_signal_for_token(request.auth, public_id)
        self.touched = signal
        return Response(SignalStatusSerializer(signal).data)
