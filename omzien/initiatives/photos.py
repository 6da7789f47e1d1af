# SPDX-License-Identifier: EUPL-1.2
"""Photos of an initiative: bounded before they are decoded, re-encoded so that no metadata survives.

A camera's JPEG carries EXIF (the GPS position where it was taken, the device, the time). Copying the
pixels into a fresh image and saving that as JPEG drops every metadata block (EXIF, XMP, IPTC,
comments). A small file can declare a huge image (a decompression bomb): the declared size is checked
from the header before any pixel is decoded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

from omzien.lib.uploads import UploadRefusedError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; more is refused before decoding
LONG_SIDE = 1600  # what is kept: enough for a report, small enough for the database
FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def photo_clean(raw: bytes) -> CleanPhoto:
    """Return the photo re-encoded as JPEG without metadata, at most LONG_SIDE pixels wide or high.

    Raises UploadRefusedError with a message for the person when the file is not a photo or too large.
    """
    if len(raw) > MAX_BYTES:
        raise UploadRefusedError(_("The photo is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format not in FORMATS:
                raise UploadRefusedError(_("Send a photo as JPEG, PNG or WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadRefusedError(_("The photo has too many pixels; send a smaller one."))
            probe.load()
            # Turned upright by its EXIF orientation first, because the orientation goes with the rest.
            upright = ImageOps.exif_transpose(probe) or probe
            pixels = upright.convert("RGB")
    except Image.DecompressionBombError as error:
        raise UploadRefusedError(_("The photo has too many pixels; send a smaller one.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise UploadRefusedError(_("This file is not a photo we can read.")) from error
    pixels.thumbnail((LONG_SIDE, LONG_SIDE))
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), clean.width, clean.height)
