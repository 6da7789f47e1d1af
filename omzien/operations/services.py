# SPDX-License-Identifier: EUPL-1.2
"""Backups and restores with existing tools: ``pg_dump``/``pg_restore`` or SQLite's online backup,
a tar archive with a manifest and checksums, encrypted for ``age`` recipients (docs/deployment.md).

The archive holds ``manifest.json`` first (versions, rows per table, the access log's chain head,
a SHA-256 per file), then ``database.dump`` (PostgreSQL custom format) or ``database.sqlite3``, then
``media/…``. A backup is written to ``FILE.partial`` and renamed when complete, so a file with the
final name is always whole. The plain copy exists only in a private temporary folder (mode 0700),
removed when the command ends.
"""

# The programs run here are fixed (age, pg_dump, pg_restore, omzien itself, found on PATH as the
# operator installed them); their arguments are paths and keys the operator gave, never request data.
# ruff: noqa: S603, S607

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import django
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """A reason the operator can act on; the command prints it and exits 1."""


@dataclass
class CheckReport:
    """What ``backup verify`` or ``restore`` found: differences from the manifest and the chain check."""

    tables: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    audit: str = ""
    erased_again: int = 0


# -- making a backup ----------------------------------------------------------------------------------


def backup_create(output: Path, *, recipients: list[str] | None = None) -> dict[str, Any]:
    """Write an encrypted backup of the database and the uploaded files to ``output``; return its manifest."""
    recipients = list(recipients if recipients is not None else settings.OMZIEN_BACKUP_RECIPIENTS)
    if not recipients:
        raise BackupError(
            "No backup recipients: set OMZIEN_BACKUP_RECIPIENTS to one or more age public keys (age-keygen)."
        )
    if output.exists():
        raise BackupError(f"{output} exists already; choose a new file name.")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="omzien-backup-") as folder:
        stage = Path(folder)
        vendor = connections["default"].vendor
        if vendor == "postgresql":
            database = _dump_postgresql(stage / PG_DUMP)
        elif vendor == "sqlite":
            database = _dump_sqlite(stage / SQLITE_COPY)
        else:
            raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
        media_files = _copy_media(stage / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "instance": settings.OMZIEN_INSTANCE_ID,
            "versions": {
                "omzien": _version("omzien"),
                "django": django.get_version(),
                "python": platform.python_version(),
                "age": _tool_version(["age", "--version"]),
                **database.pop("versions"),
            },
            **database,
            "media_files": media_files,
            "files": {
                str(path.relative_to(stage)): _sha256(path)
                for path in sorted(stage.rglob("*"))
                if path.is_file()
            },
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        _encrypt(stage, manifest, output, recipients)
    manifest["seconds"] = round(time.monotonic() - started, 2)
    return manifest


def _dump_postgresql(target: Path) -> dict[str, Any]:
    """``pg_dump --format=custom`` from a snapshot that the counts and the chain head read too."""
    own = connections.create_connection("default")
    try:
        with own.cursor() as cursor:
            # One snapshot for the counts, the chain head and pg_dump: the manifest describes exactly the dump.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            facts = _facts(cursor, _pg_tables(cursor), '"{}"')
            env = _pg_env(own.settings_dict)
            run = subprocess.run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            cursor.execute("COMMIT")
    finally:
        own.close()
    if run.returncode:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
    facts["database"] = {"vendor": "postgresql", "file": PG_DUMP}
    facts["versions"] = {"postgresql": server_version, "pg_dump": _tool_version(["pg_dump", "--version"])}
    return facts


def _dump_sqlite(target: Path) -> dict[str, Any]:
    """SQLite's online backup API: a consistent copy while the web server and worker keep writing."""
    wrapper = connections["default"]
    wrapper.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        wrapper.connection.backup(copy)
    finally:
        copy.close()
    copy = sqlite3.connect(target)
    try:
        facts = _facts(copy.cursor(), _sqlite_tables(copy.cursor()), '"{}"')
        facts["versions"] = {"sqlite": sqlite3.sqlite_version}
    finally:
        copy.close()
    facts["database"] = {"vendor": "sqlite", "file": SQLITE_COPY}
    return facts


def _copy_media(target: Path) -> int:
    root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
    target.mkdir()
    if root is None or not root.is_dir():
        return 0
    copied = 0
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            destination = target / path.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied += 1
    return copied


def _encrypt(stage: Path, manifest: dict[str, Any], output: Path, recipients: list[str]) -> None:
    partial = output.with_name(output.name + ".partial")
    arguments = ["age", "--encrypt", "--output", str(partial)]
    for recipient in recipients:
        arguments += ["--recipient", recipient]
    try:
        process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError as error:
        raise BackupError(
            "The age program is missing: install it (apt-get install age; scripts/install does)."
        ) from error
    assert process.stdin is not None
    try:
        with tarfile.open(fileobj=process.stdin, mode="w|") as archive:
            archive.add(stage / MANIFEST, arcname=MANIFEST)
            for name in manifest["files"]:
                archive.add(stage / name, arcname=name, recursive=False)
        process.stdin.close()
    except BrokenPipeError:
        pass
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.wait():
        partial.unlink(missing_ok=True)
        raise BackupError(f"age could not encrypt the backup: {stderr.strip()}")
    # Encrypted, but still the whole city: readable by its owner only, like the database's files.
    partial.chmod(0o600)
    os.replace(partial, output)


# -- opening, checking and restoring ------------------------------------------------------------------


@contextmanager
def backup_opened(path: Path, *, identity: str | None = None) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Decrypt and unpack a backup into a private temporary folder; check every checksum; yield it."""
    identity = identity or settings.OMZIEN_BACKUP_IDENTITY_FILE
    if not identity:
        raise BackupError("No key to decrypt with: pass --identity or set OMZIEN_BACKUP_IDENTITY_FILE.")
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with tempfile.TemporaryDirectory(prefix="omzien-restore-") as folder:
        stage = Path(folder)
        try:
            process = subprocess.Popen(
                ["age", "--decrypt", "--identity", identity, str(path)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
        except FileNotFoundError as error:
            raise BackupError("The age program is missing: install it (apt-get install age).") from error
        assert process.stdout is not None and process.stderr is not None
        unpack_error = ""
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(stage, filter="data")
        except (tarfile.TarError, OSError) as error:
            unpack_error = str(error)
        process.stdout.close()
        stderr = process.stderr.read().decode(errors="replace").strip()
        if process.wait():
            raise BackupError(f"{path} could not be decrypted (wrong key, or the file was changed): {stderr}")
        if unpack_error:
            raise BackupError(f"{path} is not a complete Omzien backup: {unpack_error}")
        manifest_file = stage / MANIFEST
        if not manifest_file.is_file():
            raise BackupError(f"{path} has no manifest: not an Omzien backup.")
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"{path} has backup format {manifest.get('format')}; this Omzien reads {FORMAT}."
            )
        found = {str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file()} - {MANIFEST}
        listed = set(manifest["files"])
        problems = [f"missing from the archive: {name}" for name in sorted(listed - found)]
        problems += [f"not in the manifest: {name}" for name in sorted(found - listed)]
        problems += [
            f"checksum differs: {name}"
            for name in sorted(listed & found)
            if _sha256(stage / name) != manifest["files"][name]
        ]
        if problems:
            raise BackupError(f"{path} is damaged: " + "; ".join(problems))
        yield stage, manifest


def backup_verify(path: Path, *, identity: str | None = None) -> CheckReport:
    """Restore ``path`` into a scratch database, compare it with the manifest, run ``omzien audit verify``."""
    with backup_opened(path, identity=identity) as (stage, manifest):
        vendor = manifest["database"]["vendor"]
        if vendor == "sqlite":
            scratch = stage / SQLITE_COPY
            connection = sqlite3.connect(scratch)
            try:
                report = _compare(manifest, connection.cursor(), _sqlite_tables(connection.cursor()))
            finally:
                connection.close()
            report.audit = _audit_verify(f"sqlite:///{scratch}", report)
            return report
        wrapper = connections["default"]
        if wrapper.vendor != "postgresql":
            raise BackupError(
                "A PostgreSQL backup is verified with DATABASE_URL pointing at a PostgreSQL server."
            )
        name = f"omzien_verify_{uuid.uuid4().hex[:12]}"
        with wrapper.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            _pg_restore(stage / PG_DUMP, wrapper.settings_dict, name)
            scratch_settings = {**wrapper.settings_dict, "NAME": name}
            own = connections.create_connection("default")
            own.settings_dict = scratch_settings
            try:
                with own.cursor() as cursor:
                    report = _compare(manifest, cursor, _pg_tables(cursor))
            finally:
                own.close()
            report.audit = _audit_verify(_pg_url(scratch_settings), report)
            return report
        finally:
            with wrapper.cursor() as cursor:
                # No FORCE: it needs the right to end other roles' sessions (autovacuum's); a plain DROP
                # stops autovacuum itself, and our own connections are closed by now.
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def backup_restore(
    path: Path, *, identity: str | None = None, journals: list[Path] | None = None
) -> CheckReport:
    """Restore ``path`` into the configured (empty) database and media folder, then erase again everyone
    in the erasure journal(s): a resident erased after the backup was made does not come back."""
    wrapper = connections["default"]
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"The media folder {media_root} is not empty: restore into an empty one.")
    tables = _pg_tables_of(wrapper) if wrapper.vendor == "postgresql" else _sqlite_tables_of(wrapper)
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables): restore only into a new, empty database."
        )
    with backup_opened(path, identity=identity) as (stage, manifest):
        vendor = manifest["database"]["vendor"]
        if vendor != wrapper.vendor:
            raise BackupError(f"This is a {vendor} backup; DATABASE_URL points at {wrapper.vendor}.")
        if vendor == "postgresql":
            _pg_restore(stage / PG_DUMP, wrapper.settings_dict, wrapper.settings_dict["NAME"])
            with wrapper.cursor() as cursor:
                # The access log is append-only for the application's role (audit migration 0002); the
                # restore left privileges out (the roles may differ), so make it so again.
                cursor.execute("REVOKE UPDATE, DELETE ON TABLE audit_accesslogentry FROM CURRENT_USER")
                report = _compare(manifest, cursor, _pg_tables(cursor))
        else:
            wrapper.close()
            source = sqlite3.connect(stage / SQLITE_COPY)
            target = sqlite3.connect(wrapper.settings_dict["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            with wrapper.cursor() as cursor:
                report = _compare(manifest, cursor, _sqlite_tables(cursor))
        if (stage / MEDIA).is_dir():
            shutil.copytree(stage / MEDIA, media_root, dirs_exist_ok=True)
    report.erased_again = erasures_reapply(journals)
    from omzien.audit.integrity import chain_verify

    chain = chain_verify()
    report.problems += chain.problems
    report.audit = (
        f"Access log intact: {chain.checked} entries checked." if chain.intact else "Access log broken."
    )
    return report


def erasures_reapply(journals: list[Path] | None = None) -> int:
    """Erase again, in every room, each resident of the journals still in the database; return how many."""
    from omzien.operations.journal import journal_path, journal_read
    from omzien.residents.models import Resident
    from omzien.rights.services import resident_erase

    paths = list(journals or [])
    configured = journal_path()
    if configured is not None and configured not in paths:
        paths.append(configured)
    erased = 0
    for pseudo_id in journal_read(paths):
        resident = Resident.objects.filter(pseudo_id=pseudo_id).first()
        if resident is not None:
            resident_erase(resident=resident, acting_user=None)
            erased += 1
    return erased


# -- helpers ------------------------------------------------------------------------------------------


def _facts(cursor: Any, tables: list[str], quoted: str) -> dict[str, Any]:
    counts = {}
    for table in tables:
        # Table names come from the database's own catalogue, quoted.
        cursor.execute(f"SELECT count(*) FROM {quoted.format(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    head: dict[str, Any] | None = None
    if "audit_auditchainhead" in counts:
        # One chain (every SQLite database, and PostgreSQL before issue 26) keeps the manifest's first form.
        cursor.execute("SELECT id, last_sequence, last_hash FROM audit_auditchainhead ORDER BY id")
        rows = cursor.fetchall()
        if len(rows) == 1 and rows[0][0] == 1:
            head = {"last_sequence": int(rows[0][1]), "last_hash": rows[0][2]}
        elif rows:
            head = {
                "last_sequence": max(int(row[1]) for row in rows),
                "chains": {str(row[0]): {"last_sequence": int(row[1]), "last_hash": row[2]} for row in rows},
            }
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = dict(cursor.fetchall())  # the last applied migration of each app
    return {"counts": counts, "audit_chain_head": head, "migrations": migrations}


def _compare(manifest: dict[str, Any], cursor: Any, tables: list[str]) -> CheckReport:
    facts = _facts(cursor, tables, '"{}"')
    report = CheckReport(tables=len(facts["counts"]), rows=sum(facts["counts"].values()))
    for table, expected in sorted(manifest["counts"].items()):
        found = facts["counts"].get(table)
        if found != expected:
            report.problems.append(f"{table}: {found} rows restored, the backup had {expected}")
    for table in sorted(set(facts["counts"]) - set(manifest["counts"])):
        report.problems.append(f"{table}: a table the backup did not have")
    if facts["audit_chain_head"] != manifest["audit_chain_head"]:
        report.problems.append("the access log's chain head differs from the one the backup recorded")
    return report


def _audit_verify(database_url: str, report: CheckReport) -> str:
    """Run ``omzien audit verify`` against the scratch database, as an operator would."""
    run = subprocess.run(
        [sys.executable, "-m", "omzien", "audit", "verify"],
        env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode:
        report.problems.append(f"omzien audit verify failed: {(run.stderr or run.stdout).strip()[-2000:]}")
    return run.stdout.strip()


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _pg_tables_of(wrapper: Any) -> list[str]:
    with wrapper.cursor() as cursor:
        return _pg_tables(cursor)


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_tables_of(wrapper: Any) -> list[str]:
    with wrapper.cursor() as cursor:
        return _sqlite_tables(cursor)


def _pg_env(settings_dict: dict[str, Any], name: str | None = None) -> dict[str, str]:
    """libpq's environment: the password never appears in a process list."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = name or settings_dict["NAME"]
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _pg_restore(dump: Path, settings_dict: dict[str, Any], name: str) -> None:
    # Owners and privileges stay out: the target's roles may be named differently; the one privilege
    # Omzien relies on (append-only access log) is set again by the caller.
    run = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={name}", str(dump)],
        env=_pg_env(settings_dict, name), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()[-2000:]}")


def _pg_url(settings_dict: dict[str, Any]) -> str:
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{settings_dict.get('HOST') or ''}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _tool_version(arguments: list[str]) -> str:
    try:
        return subprocess.run(arguments, capture_output=True, text=True, check=False).stdout.strip()
    except FileNotFoundError:
        return "missing"
