# SPDX-License-Identifier: EUPL-1.2
"""`omzien backup`, `omzien backup verify` and `omzien restore`, for real: age keys, pg_dump or SQLite's
backup API, a restore into a new empty database by the console command, and an erasure made after the
backup that stays made."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

import pytest

from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.world import build_world
from omzien.operations import services
from omzien.operations.journal import journal_read
from omzien.residents.models import Resident
from omzien.rights.services import resident_erase

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): a backup is a pg_dump on PostgreSQL and SQLite's online backup on SQLite.
pytestmark = pytest.mark.both_databases


@pytest.fixture
def backup_setup(tmp_path: Path) -> Iterator[dict[str, Path]]:
    key = tmp_path / "backup-key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    recipient = subprocess.run(
        ["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True
    ).stdout
    media = tmp_path / "media"
    (media / "uploads").mkdir(parents=True)
    (media / "uploads" / "flyer.pdf").write_bytes(b"%PDF-1.4 test flyer \x00\x01")
    paths = {"key": key, "media": media, "journal": tmp_path / "erasures.jsonl", "dir": tmp_path}
    with override_settings(
        OMZIEN_BACKUP_RECIPIENTS=[recipient.strip()], OMZIEN_BACKUP_IDENTITY_FILE=str(key),
        OMZIEN_ERASURE_JOURNAL=str(paths["journal"]), MEDIA_ROOT=str(media),
    ):  # fmt: skip
        yield paths


def _omzien(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the console command in a process of its own, as an operator would on the new server."""
    return subprocess.run(
        [sys.executable, "-m", "omzien", *arguments],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "omzien.conf.test", **env},
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip


def _round_trip(paths: dict[str, Path], new_database_url: str, count: Any) -> None:
    world = build_world()
    erased_later, kept = world.residents["a"], world.residents["b"]
    entries_before = AccessLogEntry.objects.count()
    backup = paths["dir"] / "omzien.backup.age"

    out = _call("backup", "-o", str(backup))
    last = AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    assert f"access log up to #{last}" in out  # PostgreSQL numbers from a sequence that tests do not reset
    assert backup.read_bytes()[:21] == b"age-encryption.org/v1"  # encrypted: no plain SQL or names in it
    assert erased_later.last_name.encode() not in backup.read_bytes()
    assert backup.stat().st_mode & 0o777 == 0o600

    verified = _call("backup", "verify", str(backup))
    assert "as in the manifest" in verified and f"Access log intact: {entries_before} entries" in verified

    # After the backup: an erasure (journaled) and a new resident (not in the backup at all).
    resident_erase(resident=erased_later, acting_user=None)
    assert journal_read([paths["journal"]]) == [str(erased_later.pseudo_id)]

    media_after = paths["dir"] / "restored-media"
    run = _omzien(
        "restore", str(backup),
        env={"DATABASE_URL": new_database_url, "OMZIEN_MEDIA_ROOT": str(media_after),
             "OMZIEN_ERASURE_JOURNAL": str(paths["journal"]), "OMZIEN_BACKUP_IDENTITY_FILE": str(paths["key"])},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "erased again after the backup: 1 resident(s)" in run.stdout
    assert "Access log intact" in run.stdout
    # The erased resident does not come back; everyone else does, with the uploaded files.
    assert count("SELECT count(*) FROM residents_resident WHERE pseudo_id = %s", erased_later.pseudo_id) == 0
    assert count("SELECT count(*) FROM residents_resident WHERE pseudo_id = %s", kept.pseudo_id) == 1
    assert count("SELECT count(*) FROM residents_resident", None) == Resident.objects.count()
    assert (media_after / "uploads" / "flyer.pdf").read_bytes() == (
        paths["media"] / "uploads" / "flyer.pdf"
    ).read_bytes()
    # The restored access log is the backup's plus the re-erasure's entry, and its chain verifies.
    assert count("SELECT count(*) FROM audit_accesslogentry", None) == entries_before + 1
    audit = _omzien("audit", "verify", env={"DATABASE_URL": new_database_url})
    assert audit.returncode == 0, audit.stderr

    # A second restore into the now filled database is refused, and nothing is changed.
    again = _omzien("restore", str(backup), env={"DATABASE_URL": new_database_url,
                                                 "OMZIEN_MEDIA_ROOT": str(paths["dir"] / "empty-media")})  # fmt: skip
    assert again.returncode == 1 and "not empty" in again.stderr


def _call(*arguments: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_round_trip_on_sqlite(backup_setup: dict[str, Path]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; the PostgreSQL one is marked postgres")
    restored = backup_setup["dir"] / "restored.sqlite3"

    def count(sql: str, value: uuid.UUID | None) -> int:
        with sqlite3.connect(restored) as database:
            parameters = () if value is None else (value.hex,)
            return int(database.execute(sql.replace("%s", "?"), parameters).fetchone()[0])

    _round_trip(backup_setup, f"sqlite:///{restored}", count)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_round_trip_on_postgresql(backup_setup: dict[str, Path]) -> None:
    assert connection.vendor == "postgresql"
    name = f"omzien_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = {**connection.settings_dict, "NAME": name}
    import psycopg

    def count(sql: str, value: uuid.UUID | None) -> int:
        with psycopg.connect(services._pg_url(target)) as database:
            return int(database.execute(sql, () if value is None else (value,)).fetchone()[0])  # type: ignore[index]

    try:
        _round_trip(backup_setup, services._pg_url(target), count)
        # The restored access log is append-only again for the application's role.
        with (
            psycopg.connect(services._pg_url(target)) as database,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            database.execute("DELETE FROM audit_accesslogentry")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_a_changed_backup_or_a_wrong_key_is_refused_with_a_clear_message(
    backup_setup: dict[str, Path],
) -> None:
    backup = backup_setup["dir"] / "b.age"
    _call("backup", "-o", str(backup))
    damaged = backup_setup["dir"] / "damaged.age"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("backup", "verify", str(damaged))
    other_key = backup_setup["dir"] / "other-key.txt"
    subprocess.run(["age-keygen", "-o", str(other_key)], check=True, capture_output=True)
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("backup", "verify", str(backup), "--identity", str(other_key))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "-o", str(backup))


@pytest.mark.django_db
def test_no_backup_without_a_recipient_and_no_restore_over_a_database_in_use(
    backup_setup: dict[str, Path],
) -> None:
    with (
        override_settings(OMZIEN_BACKUP_RECIPIENTS=[]),
        pytest.raises(CommandError, match="OMZIEN_BACKUP_RECIPIENTS"),
    ):
        call_command("backup", "-o", str(backup_setup["dir"] / "x.age"))
    assert not (backup_setup["dir"] / "x.age").exists()
    with (
        override_settings(MEDIA_ROOT=str(backup_setup["dir"] / "nothing-here")),
        pytest.raises(CommandError, match="not empty"),
    ):
        call_command("restore", str(backup_setup["dir"] / "x.age"))


@pytest.mark.django_db(transaction=True)
def test_the_journal_holds_committed_erasures_only(backup_setup: dict[str, Path]) -> None:
    from django.db import transaction

    world = build_world()
    with pytest.raises(RuntimeError), transaction.atomic():
        resident_erase(resident=world.residents["a"], acting_user=None)
        raise RuntimeError("rolled back")
    assert journal_read([backup_setup["journal"]]) == []  # a rolled-back erasure must not erase at restore
    resident_erase(resident=world.residents["b"], acting_user=None)
    assert journal_read([backup_setup["journal"]]) == [str(world.residents["b"].pseudo_id)]


@pytest.mark.django_db
def test_a_restore_erases_everyone_in_every_journal_given_and_skips_a_torn_line(
    backup_setup: dict[str, Path],
) -> None:
    """Journals from several machines: each resident in any of them is erased, once; a line cut off by a
    crash is skipped, not misread."""
    world = build_world()
    first, second, kept = world.residents["a"], world.residents["b"], world.residents["self"]
    other = backup_setup["dir"] / "machine-2.jsonl"
    backup_setup["journal"].write_text(f'{{"pseudo_id": "{first.pseudo_id}", "erased_at": "x"}}\n{{"pseudo_i')
    other.write_text(f'{{"pseudo_id": "{second.pseudo_id}"}}\n{{"pseudo_id": "{first.pseudo_id}"}}\n')
    assert services.erasures_reapply([other]) == 2
    assert not Resident.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert Resident.objects.filter(pk=kept.pk).exists()
    assert services.erasures_reapply([other]) == 0  # erased already: nothing happens twice
