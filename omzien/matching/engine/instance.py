# SPDX-License-Identifier: EUPL-1.2
"""Requests and offers as arrays, parsed and validated from plain dicts (the ``omzien match`` format).

A request is a resident's need; an offer is an activity with places, or a volunteer or meal host
with a capacity. Sets (languages, interests, days, diets) become bit masks so that feasibility and
overlap are computed for millions of pairs at once. See docs/matching.md for the format.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import numpy.typing as npt

DAYS = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6,
        "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}  # fmt: skip
GENDERS = {
    "v": 1,
    "vrouw": 1,
    "f": 1,
    "female": 1,
    "m": 2,
    "man": 2,
    "male": 2,
    "x": 3,
    "anders": 3,
    "other": 3,
}
ANY = 0


class InstanceError(ValueError):
    """The input cannot be matched; ``problems`` names every record and field that is wrong."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Weights:
    """How a feasible pair is weighted. weight = fit × priority; fit's parts add up to it.

    fit = distance · exp(−km / decay_km) + interests · Jaccard(interests) + language · share of the
    resident's languages the offer speaks. priority = need_factor[need] × (1 + waiting · min(days,
    waiting_cap_days) / waiting_cap_days). Defaults follow research/matching-perf.md (distance decay,
    interest overlap, need as the main multiplier) and are settings, documented in docs/matching.md.
    """

    distance: float = 0.5
    decay_km: float = 1.5
    interests: float = 0.35
    language: float = 0.15
    need_factors: tuple[float, float, float] = (1.0, 2.0, 3.0)
    waiting: float = 0.5
    waiting_cap_days: float = 180.0
    # When neither side limits the distance, pairs further apart than this are not considered.
    default_max_km: float = 15.0

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> Weights:
        if not values:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise InstanceError([f"settings: unknown weight(s): {', '.join(sorted(unknown))}"])
        cleaned = {k: tuple(v) if k == "need_factors" else float(v) for k, v in values.items()}
        return cls(**cleaned)  # type: ignore[arg-type]


@dataclass
class Side:
    """One side (requests or offers) as arrays; masks are uint64 with one bit per known value."""

    ids: list[str]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    languages: npt.NDArray[np.uint64]
    interests: npt.NDArray[np.uint64]  # shape (n, words)
    days: npt.NDArray[np.uint8]  # 0: not given (any day)
    gender: npt.NDArray[np.int8]  # 0: unknown
    wants_gender: npt.NDArray[np.int8]  # 0: any
    max_km: npt.NDArray[np.float64]  # nan: not given
    diets: npt.NDArray[np.uint64]
    diets_given: npt.NDArray[np.bool_]
    # requests only
    need: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    waiting_days: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    wijk: list[str | None] = field(default_factory=list)
    # offers only
    capacity: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    vog_valid: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))  # -1 not given

    def __len__(self) -> int:
        return len(self.ids)


def side_take(side: Side, rows: npt.NDArray[np.int64]) -> Side:
    """Return the records at ``rows`` of a side (e.g. one request, to add it as an arrival)."""
    values: dict[str, Any] = {}
    for name, value in side.__dict__.items():
        if isinstance(value, list):
            values[name] = [value[i] for i in rows] if value else []
        else:
            values[name] = value if len(value) == 0 else value[rows]
    return Side(**values)


def side_append(side: Side, other: Side) -> Side:
    """Return a side with ``other``'s records after ``side``'s."""
    values: dict[str, Any] = {}
    for name, value in side.__dict__.items():
        extra = getattr(other, name)
        if isinstance(value, list):
            values[name] = value + list(extra)
        elif len(value) == 0 and len(extra) == 0:
            values[name] = value
        else:
            values[name] = np.concatenate([value, extra])
    return Side(**values)


@dataclass
class Vocabulary:
    """Maps language, interest and diet names to bit positions (interests may use several words)."""

    languages: dict[str, int] = field(default_factory=dict)
    interests: dict[str, int] = field(default_factory=dict)
    diets: dict[str, int] = field(default_factory=dict)

    @property
    def interest_words(self) -> int:
        return max(1, math.ceil(len(self.interests) / 64))


@dataclass
class Instance:
    requests: Side
    offers: Side
    weights: Weights
    vocabulary: Vocabulary


def _mask(values: Iterable[str], table: dict[str, int], limit: int = 64) -> int:
    mask = 0
    for value in values:
        bit = table.setdefault(value, len(table))
        if bit >= limit:
            raise InstanceError([f"more than {limit} different values of one kind ({value!r})"])
        mask |= 1 << bit
    return mask


def _text_list(record: dict[str, Any], name: str, label: str, problems: list[str]) -> list[str]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{label}: field '{name}': expected a list of texts, got {value!r}")
        return []
    return [v.strip().lower() for v in value if v.strip()]


def _number(record: dict[str, Any], name: str, label: str, problems: list[str], *, required: bool,
            low: float | None = None, high: float | None = None) -> float | None:  # fmt: skip
    value = record.get(name)
    if value is None:
        if required:
            problems.append(f"{label}: field '{name}': missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.append(f"{label}: field '{name}': expected a number, got {value!r}")
        return None
    if low is not None and value < low:
        problems.append(f"{label}: field '{name}': {value} is below the minimum {low:g}")
        return None
    if high is not None and value > high:
        problems.append(f"{label}: field '{name}': {value} is above the maximum {high:g}")
        return None
    return float(value)


def _gender(record: dict[str, Any], name: str, label: str, problems: list[str], *, allow_any: bool) -> int:
    value = record.get(name)
    if value is None or (allow_any and str(value).lower() == "any"):
        return ANY
    code = GENDERS.get(str(value).strip().lower())
    if code is None:
        problems.append(
            f"{label}: field '{name}': unknown value {value!r} (use v, m, x{' or any' if allow_any else ''})"
        )
        return ANY
    return code


def _normalised(values: Any, cache: dict[str, str]) -> list[str] | None:
    """A list of texts as ``_text_list`` cleans it (None: not a list of texts, or empty texts)."""
    if values is None:
        return []
    if type(values) is not list:
        return None
    cleaned = []
    for value in values:
        word = cache.get(value) if type(value) is str else None
        if word is None:
            if type(value) is not str or not value.strip():
                return None
            word = cache[value] = value.strip().lower()
        cleaned.append(word)
    return cleaned


def _numbers(column: list[Any], *, required: bool, low: float | None = None,
             high: float | None = None) -> npt.NDArray[np.float64] | None:  # fmt: skip
    """A column of numbers as floats (nan where absent and allowed); None when any is wrong."""
    if any(type(value) not in (int, float) for value in column if value is not None or required):
        return None
    values = np.array([np.nan if value is None else value for value in column], dtype=np.float64)
    present = ~np.isnan(values)
    if required and not present.all():
        return None
    checked = values[present]
    if not np.isfinite(checked).all():
        return None
    if (low is not None and (checked < low).any()) or (high is not None and (checked > high).any()):
        return None
    return values


def _side_columns(records: Any, kind: str, vocabulary: Vocabulary) -> Side | None:
    """The side built column by column, for records that are all well-formed; None otherwise.

    Gives exactly what ``_side`` gives for such records, several times faster: a city file of
    30,000 requests spent most of ``omzien match`` here (issue #16). Any record that needs a
    message sends the whole side through ``_side``, which names every problem. The vocabulary is
    changed only when this succeeds.
    """
    if type(records) is not list or any(type(record) is not dict for record in records):
        return None
    n = len(records)
    ids = [record.get("id") for record in records]
    if any(type(identifier) is not str or not identifier for identifier in ids) or len(set(ids)) != n:
        return None
    lat = _numbers([r.get("lat") for r in records], required=True, low=-90, high=90)
    lon = _numbers([r.get("lon") for r in records], required=True, low=-180, high=180)
    max_km = _numbers([r.get("max_km") for r in records], required=False, low=0)
    if lat is None or lon is None or max_km is None:
        return None
    cache: dict[str, str] = {}
    languages_table, diets_table = dict(vocabulary.languages), dict(vocabulary.diets)
    # Python ints per record, made arrays once at the end (a NumPy item write costs more than the
    # rest of the record's work); interest masks may be wider than 64 bits until they are split.
    language_masks, interest_masks, day_masks, diet_masks = [], [], [], []
    genders, wishes, given = [], [], []
    bits, diet_field = vocabulary.interests, "diet" if kind == "requests" else "diets"
    try:
        for record in records:
            spoken = _normalised(record.get("languages"), cache)
            interest_list = _normalised(record.get("interests"), cache)
            day_list = _normalised(record.get("days"), cache)
            diet_value = record.get(diet_field)
            diet_list = _normalised(diet_value, cache)
            if not spoken or interest_list is None or day_list is None or diet_list is None:
                return None
            language_masks.append(_mask(spoken, languages_table))
            mask = 0
            for tag in interest_list:
                mask |= 1 << bits[tag]
            interest_masks.append(mask)
            mask = 0
            for day in day_list:
                mask |= 1 << DAYS[day]
            day_masks.append(mask)
            given.append(diet_value is not None)
            diet_masks.append(_mask(diet_list, diets_table) if diet_value is not None else 0)
            said, wish = record.get("gender"), record.get("wants_gender")
            genders.append(ANY if said is None else GENDERS[str(said).strip().lower()])
            wishes.append(ANY if wish is None or str(wish).lower() == "any" else GENDERS[str(wish).strip().lower()])
    except (KeyError, InstanceError):
        return None  # an unknown day or gender, or too many values: ``_side`` says which
    languages = np.array(language_masks, dtype=np.uint64)
    days = np.array(day_masks, dtype=np.uint8)
    diets, diets_given = np.array(diet_masks, dtype=np.uint64), np.array(given, dtype=np.bool_)
    gender, wants = np.array(genders, dtype=np.int8), np.array(wishes, dtype=np.int8)
    words = vocabulary.interest_words
    interests = np.zeros((n, words), np.uint64)
    for word in range(words):
        interests[:, word] = np.array([(m >> (64 * word)) & 0xFFFF_FFFF_FFFF_FFFF for m in interest_masks], np.uint64)
    need, waiting = np.ones(n, np.int8), np.zeros(n)
    wijk: list[str | None] = []
    capacity, vog = np.zeros(n, np.int64), np.full(n, -1, np.int8)
    if kind == "requests":
        needs = _numbers([r.get("need") for r in records], required=True, low=1, high=3)
        waited = _numbers([r.get("waiting_days") for r in records], required=False, low=0)
        if needs is None or waited is None or not (needs == np.floor(needs)).all():
            return None
        need, waiting = needs.astype(np.int8), np.nan_to_num(waited, nan=0.0)
        wijk = [None if (d := r.get("wijk")) is None else str(d) for r in records]
    else:
        places = _numbers([r.get("capacity") for r in records], required=True, low=0)
        valid = [r.get("vog_valid") for r in records]
        if places is None or not (places == np.floor(places)).all():
            return None
        if any(value is not None and type(value) is not bool for value in valid):
            return None
        capacity = places.astype(np.int64)
        vog = np.array([-1 if value is None else int(value) for value in valid], dtype=np.int8)
    vocabulary.languages.update(languages_table)
    vocabulary.diets.update(diets_table)
    return Side(ids=ids, lat=lat, lon=lon, languages=languages, interests=interests, days=days, gender=gender,
                wants_gender=wants, max_km=max_km, diets=diets, diets_given=diets_given, need=need,
                waiting_days=waiting, wijk=wijk, capacity=capacity, vog_valid=vog)  # fmt: skip


def _side(records: Any, kind: str, vocabulary: Vocabulary, problems: list[str]) -> Side:
    if not isinstance(records, list):
        problems.append(f"{kind}: expected a list")
        records = []
    n = len(records)
    ids: list[str] = []
    lat, lon = np.zeros(n), np.zeros(n)
    languages = np.zeros(n, np.uint64)
    interest_lists: list[list[str]] = []
    days = np.zeros(n, np.uint8)
    gender, wants = np.zeros(n, np.int8), np.zeros(n, np.int8)
    max_km = np.full(n, np.nan)
    diets, diets_given = np.zeros(n, np.uint64), np.zeros(n, np.bool_)
    need, waiting = np.ones(n, np.int8), np.zeros(n)
    wijk: list[str | None] = []
    capacity, vog = np.zeros(n, np.int64), np.full(n, -1, np.int8)
    seen: set[str] = set()
    for index, record in enumerate(records):
        label = f"{kind}[{index}]"
        if not isinstance(record, dict):
            problems.append(f"{label}: expected an object")
            ids.append(f"#{index}")
            interest_lists.append([])
            wijk.append(None)
            continue
        identifier = record.get("id")
        if not isinstance(identifier, (str, int)) or isinstance(identifier, bool) or str(identifier) == "":
            problems.append(f"{label}: field 'id': missing or not a text")
            identifier = f"#{index}"
        identifier = str(identifier)
        label = f"{kind}[{index}] (id {identifier})"
        if identifier in seen:
            problems.append(f"{label}: field 'id': appears twice")
        seen.add(identifier)
        ids.append(identifier)
        lat[index] = _number(record, "lat", label, problems, required=True, low=-90, high=90) or 0.0
        lon[index] = _number(record, "lon", label, problems, required=True, low=-180, high=180) or 0.0
        spoken = _text_list(record, "languages", label, problems)
        if not spoken:
            problems.append(f"{label}: field 'languages': give at least one language")
        languages[index] = _mask(spoken, vocabulary.languages)
        interest_lists.append(_text_list(record, "interests", label, problems))
        day_mask = 0
        for day in _text_list(record, "days", label, problems):
            if day not in DAYS:
                problems.append(
                    f"{label}: field 'days': unknown day {day!r} (use ma, di, wo, do, vr, za, zo)"
                )
            else:
                day_mask |= 1 << DAYS[day]
        days[index] = day_mask
        gender[index] = _gender(record, "gender", label, problems, allow_any=False)
        wants[index] = _gender(record, "wants_gender", label, problems, allow_any=True)
        limit = _number(record, "max_km", label, problems, required=False, low=0)
        max_km[index] = np.nan if limit is None else limit
        diet_field = "diet" if kind == "requests" else "diets"
        if record.get(diet_field) is not None:
            diets_given[index] = True
        diets[index] = _mask(_text_list(record, diet_field, label, problems), vocabulary.diets)
        if kind == "requests":
            need[index] = int(_number(record, "need", label, problems, required=True, low=1, high=3) or 1)
            if record.get("need") is not None and not float(record["need"]).is_integer():
                problems.append(f"{label}: field 'need': must be 1, 2 or 3")
            waiting[index] = _number(record, "waiting_days", label, problems, required=False, low=0) or 0.0
            district = record.get("wijk")
            wijk.append(str(district) if district is not None else None)
        else:
            places = _number(record, "capacity", label, problems, required=True, low=0)
            if places is not None and not places.is_integer():
                problems.append(f"{label}: field 'capacity': must be a whole number")
            capacity[index] = int(places or 0)
            valid = record.get("vog_valid")
            if valid is not None and not isinstance(valid, bool):
                problems.append(f"{label}: field 'vog_valid': expected true or false, got {valid!r}")
            vog[index] = -1 if valid is None or not isinstance(valid, bool) else int(valid)
    words = vocabulary.interest_words
    interests = np.zeros((n, words), np.uint64)
    for index, tags in enumerate(interest_lists):
        for tag in tags:
            bit = vocabulary.interests[tag]  # collected up front by instance_from_dict
            interests[index, bit // 64] |= np.uint64(1 << (bit % 64))
    return Side(ids=ids, lat=lat, lon=lon, languages=languages, interests=interests, days=days, gender=gender,
                wants_gender=wants, max_km=max_km, diets=diets, diets_given=diets_given, need=need,
                waiting_days=waiting, wijk=wijk, capacity=capacity, vog_valid=vog)  # fmt: skip


def _side_either(records: Any, kind: str, vocabulary: Vocabulary, problems: list[str]) -> Side:
    built = _side_columns(records, kind, vocabulary)
    return built if built is not None else _side(records, kind, vocabulary, problems)


def instance_from_dict(data: Any) -> Instance:
    """Return the validated instance; raise InstanceError naming every bad record and field."""
    if not isinstance(data, dict):
        raise InstanceError(["the instance must be a JSON object with 'requests' and 'offers'"])
    problems = [f"'{key}' is missing" for key in ("requests", "offers") if key not in data]
    vocabulary = Vocabulary()
    # Interests are collected first so that every record gets masks of the same width.
    seen: set[str] = set()
    for key in ("requests", "offers"):
        for record in data.get(key) or []:
            if isinstance(record, dict) and isinstance(record.get("interests"), list):
                for tag in record["interests"]:
                    # Each distinct text is cleaned once (a city file repeats a few dozen tags).
                    if isinstance(tag, str) and tag not in seen:
                        seen.add(tag)
                        if tag.strip():
                            vocabulary.interests.setdefault(tag.strip().lower(), len(vocabulary.interests))
    requests = _side_either(data.get("requests", []), "requests", vocabulary, problems)
    offers = _side_either(data.get("offers", []), "offers", vocabulary, problems)
    try:
        weights = Weights.from_dict(data.get("settings"))
    except (InstanceError, TypeError, ValueError) as error:
        problems.append(f"settings: {error}")
        weights = Weights()
    if problems:
        raise InstanceError(problems)
    return Instance(requests=requests, offers=offers, weights=weights, vocabulary=vocabulary)


def side_from_records(records: Any, kind: str, vocabulary: Vocabulary) -> Side:
    """Records of one side (``"requests"`` or ``"offers"``) as a Side in an existing instance's vocabulary,
    for an arrival (``incremental``). Raises InstanceError naming every problem, or when a new interest
    would widen the interest masks (then the instance must be built again)."""
    words = vocabulary.interest_words
    for record in records if isinstance(records, list) else []:
        for tag in record.get("interests") or [] if isinstance(record, dict) else []:
            if isinstance(tag, str) and tag.strip():
                vocabulary.interests.setdefault(tag.strip().lower(), len(vocabulary.interests))
    if vocabulary.interest_words != words:
        raise InstanceError(["a new interest widens the interest masks: build the instance again"])
    problems: list[str] = []
    side = _side_either(records, kind, vocabulary, problems)
    if problems:
        raise InstanceError(problems)
    return side
