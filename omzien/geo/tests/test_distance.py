# SPDX-License-Identifier: EUPL-1.2
"""The one distance and bounding-box helper: agrees with the matching engine, and the box holds the circle."""

from __future__ import annotations

import math
import random

from django.test import SimpleTestCase

import numpy as np

from omzien.geo.distance import bounding_box, km_between
from omzien.matching.engine.candidates import km_between as engine_km


class DistanceTests(SimpleTestCase):
    def test_known_distances(self) -> None:
        # Utrecht Dom to Amsterdam Dam: about 35 km; a degree of latitude about 111.2 km.
        self.assertAlmostEqual(km_between(52.0907, 5.1214, 52.3731, 4.8926), 35.0, delta=0.5)
        self.assertAlmostEqual(km_between(52.0, 5.0, 53.0, 5.0), 111.195, places=2)
        self.assertEqual(km_between(52.1, 5.1, 52.1, 5.1), 0.0)

    def test_pages_and_the_matching_engine_measure_alike(self) -> None:
        rng = random.Random(14)
        points = [(rng.uniform(50, 54), rng.uniform(3, 7), rng.uniform(50, 54), rng.uniform(3, 7)) for _ in range(200)]
        arrays = [np.array(column) for column in zip(*points, strict=True)]
        engine = engine_km(*arrays)
        for (lat1, lon1, lat2, lon2), expected in zip(points, engine, strict=True):
            self.assertAlmostEqual(km_between(lat1, lon1, lat2, lon2), float(expected), places=9)

    def test_the_box_holds_every_point_of_the_circle_and_little_more(self) -> None:
        for lat, km in ((52.09, 3.0), (52.09, 0.1), (60.0, 50.0), (-33.9, 10.0)):
            lat_min, lat_max, lon_min, lon_max = bounding_box(lat, 5.0, km)
            for step in range(360):
                # A point just inside the circle, in every direction.
                bearing = math.radians(step)
                d = (km * 0.999999) / 6371.0088
                p1 = math.radians(lat)
                p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
                l2 = math.radians(5.0) + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1),
                                                    math.cos(d) - math.sin(p1) * math.sin(p2))  # fmt: skip
                self.assertTrue(lat_min <= math.degrees(p2) <= lat_max and lon_min <= math.degrees(l2) <= lon_max)
            # Not a box much wider than the circle: its corners along the axes lie on the circle.
            self.assertAlmostEqual(km_between(lat, 5.0, lat_max, 5.0), km, delta=km * 1e-6)
