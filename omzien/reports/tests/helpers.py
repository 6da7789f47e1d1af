# SPDX-License-Identifier: EUPL-1.2
"""Test helpers: a policy officer, the demo city's geography, survey files as a user would upload them."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import Role
from omzien.geo.models import Neighbourhood
from omzien.lib.testing.world import login_verified
from omzien.reports import demo


def policy_officer(username: str = "beleid") -> User:
    organisation, _created = Organisation.objects.get_or_create(
        name="Gemeente Utrecht", defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    user = User.objects.create_user(username=username, password="een-lang-test-wachtwoord",  # noqa: S106
                                    organisation=organisation, first_name="Beleid")  # fmt: skip
    user.groups.add(Group.objects.get(name=Role.POLICY_OFFICER.value))
    return user


def login(client: Any, user: User) -> None:
    login_verified(client, user)


def buurten() -> list[tuple[str, int]]:
    return [(code, population or 1000) for code, population in
            Neighbourhood.objects.order_by("code").values_list("code", "population")]  # fmt: skip


def csv_bytes(frame: Any) -> bytes:
    buffer = BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def survey_and_margins(*, respondents: int = 3000, seed: int = 5, share: float = 0.35) -> tuple[Any, Any]:
    areas = buurten()
    return demo.survey_frame(areas, respondents=respondents, lonely_share=share, seed=seed), demo.margins_frame(areas)


def upload(client: Any, test: Any, survey: bytes, margins: bytes, *, survey_name: str = "enquete.csv",
           margins_name: str = "marges.csv", buurten: bool = True, **extra: str) -> Any:  # fmt: skip
    """POST the upload form and run the queued task (the immediate backend runs it on commit)."""
    data = {"title": "Monitor test", "fieldwork_date": "2024-10-01",
            "survey": SimpleUploadedFile(survey_name, survey), "margins": SimpleUploadedFile(margins_name, margins),
            **({"buurten": "on"} if buurten else {}), **extra}  # fmt: skip
    with test.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("reports:upload"), data)
