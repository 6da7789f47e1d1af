# SPDX-License-Identifier: EUPL-1.2
"""Photos of an initiative: only with consent, location and camera metadata stripped, bombs refused unread."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from PIL import Image

from omzien.initiatives.models import InitiativePhoto
from omzien.initiatives.photos import photo_clean
from omzien.initiatives.tests.base import InitiativesTestCase
from omzien.lib.uploads import UploadRefusedError


def camera_jpeg() -> bytes:
    """A JPEG as a phone makes it: EXIF with the camera, the time and a GPS position."""
    image = Image.new("RGB", (2400, 1800), (90, 140, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:18 18:02:11"  # DateTime
    exif[0x8825] = {1: "N", 2: (52.0, 6.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"at Dreef 12")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")


class PhotoTests(InitiativesTestCase):
    def test_a_photo_is_kept_without_location_or_camera_data_and_smaller(self) -> None:
        raw = camera_jpeg()
        self.assertIn(b"PhoneMaker", raw)
        clean = photo_clean(raw)
        self.assertNotIn(b"PhoneMaker", clean.data)
        self.assertNotIn(b"Exif", clean.data)
        self.assertNotIn(b"Dreef", clean.data)
        with Image.open(io.BytesIO(clean.data)) as stored:
            self.assertEqual(dict(stored.getexif()), {})
            self.assertEqual(stored.size, (1600, 1200))

    def test_what_is_not_a_photo_or_too_large_is_refused_with_a_message(self) -> None:
        for raw, message in ((b"%PDF-1.7 not a photo", "not a photo we can read"),
                             (png_declaring(50_000, 50_000), "too many pixels"),
                             (b"x" * (9 * 1024 * 1024), "larger than 8 MB")):  # fmt: skip
            with self.subTest(message), self.assertRaisesMessage(UploadRefusedError, message):
                photo_clean(raw)

    def test_the_broker_adds_a_photo_only_with_consent(self) -> None:
        self.login()
        url = reverse("initiatives:photo_add", args=[self.initiative_a.public_id])
        before = InitiativePhoto.objects.count()
        response = self.client.post(url, {"photo": SimpleUploadedFile("soep.jpg", camera_jpeg(), "image/jpeg"), "caption": "Soep"})
        self.assertContains(response, "only when the people in it agreed", status_code=400)
        response = self.client.post(url, {"photo": SimpleUploadedFile("x.jpg", b"nonsense", "image/jpeg"), "caption": "Soep",
                                          "consent": "on"})  # fmt: skip
        self.assertContains(response, "not a photo we can read", status_code=400)
        self.assertEqual(InitiativePhoto.objects.count(), before)
        response = self.client.post(url, {"photo": SimpleUploadedFile("soep.jpg", camera_jpeg(), "image/jpeg"),
                                          "caption": "Soep in De Dreef", "consent": "on"})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        photo = InitiativePhoto.objects.get(caption="Soep in De Dreef")
        served = self.client.get(reverse("initiatives:photo", args=[photo.public_id]))
        self.assertEqual(served["Content-Type"], "image/jpeg")
        self.assertNotIn(b"PhoneMaker", served.content)
        self.login(self.other_broker)
        self.assertEqual(self.client.get(reverse("initiatives:photo", args=[photo.public_id])).status_code, 404)
