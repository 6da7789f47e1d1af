# SPDX-License-Identifier: EUPL-1.2
"""A real full disk for tests: a small tmpfs mounted for the test and filled to the last byte.

A full disk is not imitated by a file object that raises: the kernel's own ENOSPC comes from the
write, at whatever point the code under test writes. Mounting needs root (CAP_SYS_ADMIN); without it
the test is skipped and says so.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_filesystem(folder: Path, *, size_kb: int) -> Iterator[Path]:
    """Mount an empty ``size_kb`` tmpfs on ``folder`` for the duration; skip the test without root."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(  # noqa: S603 - fixed arguments
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "omzien-test-full", str(folder)],  # noqa: S607
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"a full disk needs a small tmpfs mounted, which needs root: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=False)  # noqa: S603,S607


def fill(folder: Path) -> Path:
    """Write a file into ``folder`` until its file system has no byte left; return the file."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
    finally:
        os.close(descriptor)
    return filler


@contextmanager
def full_filesystem(folder: Path, *, size_kb: int = 256) -> Iterator[Path]:
    """Mount a ``size_kb`` tmpfs on ``folder``, fill it, and yield the path of the filler file.

    Removing the filler makes the room again; the file system is unmounted afterwards.
    """
    with small_filesystem(folder, size_kb=size_kb):
        yield fill(folder)
