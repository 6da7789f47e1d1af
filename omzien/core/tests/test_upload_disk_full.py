# SPDX-License-Identifier: EUPL-1.2
"""A full disk where uploads are received: a clear page, nothing saved, no partial file (issue 26).

Django receives an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) into a temporary file in
FILE_UPLOAD_TEMP_DIR before any view runs. Here that folder is a real, full file system.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from omzien.activities.models import Activity
from omzien.activities.tests.factories import Town
from omzien.lib.testing.disk import full_filesystem
from omzien.lib.testing.world import login_verified


@pytest.mark.django_db
def test_an_upload_to_a_full_disk_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    town = Town()
    client = Client(raise_request_exception=False)
    login_verified(client, town.provider_user())
    before = Activity.objects.count()
    # 3 MB: above the 2.5 MB Django keeps in memory, so it goes to the temporary folder.
    rows = "titel;plaatsen;rooster\n" + "Wandelen;10;ma 10:00-12:00\n" * 110_000
    folder = tmp_path / "uploads"
    with full_filesystem(folder, size_kb=8192) as filler, override_settings(FILE_UPLOAD_TEMP_DIR=str(folder)):
        upload = SimpleUploadedFile("aanbod.csv", rows.encode(), content_type="text/csv")
        response = client.post(reverse("activities:upload"), {"file": upload})
        assert response.status_code == 507
        page = response.content.decode()
        assert "geen ruimte" in page and "Er is niets van opgeslagen" in page
        assert response["X-Request-ID"] in page
        assert Activity.objects.count() == before  # no half import
        assert [path.name for path in folder.iterdir()] == ["filler"]  # no half file left behind

        # With room again, the same upload is received (and read: too many rows for one file).
        filler.unlink()
        upload = SimpleUploadedFile("aanbod.csv", rows.encode(), content_type="text/csv")
        response = client.post(reverse("activities:upload"), {"file": upload})
        assert response.status_code == 200
        assert "meer dan 5000 regels" in response.content.decode()
        assert list(folder.iterdir()) == []
