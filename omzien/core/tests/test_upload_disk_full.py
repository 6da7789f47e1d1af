# SPDX-License-Identifier: EUPL-1.2
"""A full disk where uploads are received: a clear page, nothing saved, no partial file (issue 26).

Django receives an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) into a temporary file in
FILE_UPLOAD_TEMP_DIR before any view runs. Here that folder is a real, full file system.
"""

from __future__ import annotations

import os
import pwd
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

import psycopg
import pytest
from psycopg import sql

from omzien.activities.models import Activity
from omzien.activities.tests.factories import Town
from omzien.activities.tests.test_views import GOOD_ROW, HEADER
from omzien.lib.testing.disk import fill, full_filesystem, small_filesystem
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the superuser's connection must see the rows
def test_an_import_into_a_full_database_disk_is_refused_whole() -> None:
    # What Omzien keeps of an upload is written to PostgreSQL: here the activities table lives on a
    # small file system of its own (a tablespace on a tmpfs), which is then filled.
    superuser_url = os.environ.get("OMZIEN_TEST_PG_SUPERUSER_URL")
    if not superuser_url:
        pytest.skip("needs OMZIEN_TEST_PG_SUPERUSER_URL (scripts/postgres-cluster sets it)")
    town = Town()
    client = Client(raise_request_exception=False)
    login_verified(client, town.provider_user())
    before = Activity.objects.count()
    rows = [HEADER, *(GOOD_ROW.replace("Wandelclub", f"Wandelclub {n}", 1) for n in range(30))]
    # Not under tmp_path: PostgreSQL's own user must reach the folder, and pytest's are root's alone.
    folder = Path(tempfile.mkdtemp(prefix="omzien-pgdisk-"))
    folder.chmod(0o755)
    table, tablespace = Activity._meta.db_table, f"omzien_full_{os.getpid()}"
    with small_filesystem(folder, size_kb=16384):
        location = folder / "tablespace"
        location.mkdir()
        owner = pwd.getpwnam("postgres")
        os.chown(location, owner.pw_uid, owner.pw_gid)
        with psycopg.connect(
            superuser_url, dbname=connection.settings_dict["NAME"], autocommit=True
        ) as admin:
            admin.execute(
                sql.SQL("CREATE TABLESPACE {} LOCATION {}").format(
                    sql.Identifier(tablespace), sql.Literal(str(location))
                )
            )
            admin.execute(
                sql.SQL("ALTER TABLE {} SET TABLESPACE {}").format(
                    sql.Identifier(table), sql.Identifier(tablespace)
                )
            )
            try:
                filler = fill(folder)
                upload = SimpleUploadedFile("aanbod.csv", "\n".join(rows).encode(), content_type="text/csv")
                response = client.post(reverse("activities:upload"), {"file": upload})
                # PostgreSQL could not extend the table: the service is unavailable until an operator
                # makes room, and the import was rolled back whole.
                assert response.status_code == 503
                assert response["X-Request-ID"] in response.content.decode()
                assert Activity.objects.count() == before

                filler.unlink()
                upload = SimpleUploadedFile("aanbod.csv", "\n".join(rows).encode(), content_type="text/csv")
                response = client.post(reverse("activities:upload"), {"file": upload})
                assert response.status_code == 302, response.content.decode()[-2000:]
                assert Activity.objects.count() == before + 30
            finally:
                admin.execute(
                    sql.SQL("ALTER TABLE {} SET TABLESPACE pg_default").format(sql.Identifier(table))
                )
                admin.execute(sql.SQL("DROP TABLESPACE {}").format(sql.Identifier(tablespace)))
    folder.rmdir()
