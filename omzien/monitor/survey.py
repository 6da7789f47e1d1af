# SPDX-License-Identifier: EUPL-1.2
"""From survey and margins files to the monitor's figures: checking, scoring, raking, estimates.

Pure polars/NumPy (no Django): ``survey_prepare`` checks a survey frame against a margins frame and
returns arrays; ``monitor_estimates`` scores DJG-11, rakes each wave to the margins, estimates per
area and for the city (direct, with Taylor SEs), fits Fay–Herriot for the areas below the direct
precision threshold, suppresses small cells (with complementary suppression against the published
city total), adds two-wave differences and reference values, and returns one long table.

Outputs (``indicator``): ``lonely`` (DJG-11 total 3–11), ``moderate`` (3–8), ``severe`` ((very)
severely lonely, 9–11), ``social`` and ``emotional`` (the subscale counts as lonely from the
scoring rule's threshold). ``kind``: ``direct`` (design-based estimate), ``model`` (Fay–Herriot
EBLUP: a model estimate, with its MSE), ``suppressed`` (fewer respondents than the minimum; nothing
shown), ``difference`` (second wave minus first, SE = √(SE₁² + SE₂²) for independent samples) and
``reference`` (a published figure, same instrument only).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.lib.disclosure import nested_suppression_mask, suppression_mask, too_small
from omzien.monitor.estimates import Z95, prevalence_by_area
from omzien.monitor.sae import fay_herriot
from omzien.monitor.weighting import RakingError, rake
from omzien.wellbeing.answers import DEFAULT_MISSING, answers_code
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.scoring import score

INDICATORS = ("lonely", "moderate", "severe", "social", "emotional")
OUTPUT_COLUMNS = ("level", "area_code", "wave", "indicator", "kind", "respondents", "estimate", "se", "ci_low",
                  "ci_high", "mse", "instrument", "source", "year", "note")  # fmt: skip
AGE_GROUP = re.compile(r"^\s*(\d+)\s*(?:-|–|tot|t/m)\s*(\d+)\s*$|^\s*(\d+)\s*(?:\+|en ouder|plus)\s*$")
MAX_ROWS_NAMED = 10


class SurveyError(ValueError):
    """The files cannot be used; ``problems`` names the rows and values."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Survey:
    answers: npt.NDArray[np.int8]
    cell: npt.NDArray[np.int64]  # age group × sex, index into ``cells``
    area: npt.NDArray[np.int64]  # index into ``area_codes``
    wave: npt.NDArray[np.int64]  # index into ``waves``
    design: npt.NDArray[np.float64]
    stratum: npt.NDArray[np.int64] | None
    psu: npt.NDArray[np.int64] | None
    area_codes: list[str]
    cells: list[tuple[str, str]]
    waves: list[str]
    cell_population: npt.NDArray[np.float64]
    area_population: npt.NDArray[np.float64]
    parent: dict[str, str] = field(default_factory=dict)  # buurt → wijk, for the model's covariate


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_ROWS_NAMED])
    return shown + (f" and {len(numbers) - MAX_ROWS_NAMED} more" if len(numbers) > MAX_ROWS_NAMED else "")


def parse_age_groups(labels: list[str]) -> list[tuple[str, int, int]]:
    """'18-34', '35 tot 50', '75+' → (label, first age, last age); raise SurveyError on others or overlaps."""
    groups = []
    for label in labels:
        match = AGE_GROUP.match(label)
        if not match:
            raise SurveyError([f"margins: age group '{label}' is not like '18-34' or '75+'"])
        low = int(match.group(1) or match.group(3))
        high = int(match.group(2)) if match.group(2) else 200
        groups.append((label, low, high))
    groups.sort(key=lambda g: g[1])
    for (a, _la, ha), (b, lb, _hb) in zip(groups, groups[1:], strict=False):
        if lb <= ha:
            raise SurveyError([f"margins: age groups '{a}' and '{b}' overlap"])
    return groups


def _area_code(raw: str, level: str) -> str | None:
    code = raw.strip().upper()
    if level == "wijk" and re.fullmatch(r"BU\d{8}", code):
        return "WK" + code[2:8]  # a buurt lies in the wijk with the same first six digits
    if level == "wijk" and re.fullmatch(r"WK\d{6}", code):
        return code
    if level == "buurt" and re.fullmatch(r"BU\d{8}", code):
        return code
    return None


def _text(frame: Any, name: str) -> list[str]:
    return ["" if v is None else str(v).strip() for v in frame.get_column(name).to_list()]


def survey_prepare(frame: Any, margins: Any, *, area_level: str, codes: dict[str, str] | None = None,
                   missing: tuple[str, ...] = DEFAULT_MISSING) -> Survey:  # fmt: skip
    """Check the survey against the margins; return the arrays, or raise SurveyError naming rows and values."""
    if area_level not in ("wijk", "buurt"):
        raise SurveyError([f"area level must be wijk or buurt, not {area_level!r}"])
    problems: list[str] = []
    needed = {"area", "age_group", "sex", "population"} - set(margins.columns)
    if needed:
        raise SurveyError([f"margins: missing column(s) {', '.join(sorted(needed))}"])
    groups = parse_age_groups(sorted(set(_text(margins, "age_group"))))
    group_index = {label: i for i, (label, _lo, _hi) in enumerate(groups)}
    sexes = sorted({s.lower() for s in _text(margins, "sex")})
    sex_index = {s: i for i, s in enumerate(sexes)}
    cells = [(label, sex) for label, _lo, _hi in groups for sex in sexes]
    population: dict[tuple[str, int], float] = defaultdict(float)
    bad_margin_rows: dict[str, list[int]] = defaultdict(list)
    for row, (area_raw, group, sex, value) in enumerate(
        zip(_text(margins, "area"), _text(margins, "age_group"), _text(margins, "sex"), _text(margins, "population"),
            strict=True), start=2):  # fmt: skip
        margin_area = _area_code(area_raw, area_level)
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = -1.0
        if margin_area is None:
            bad_margin_rows[f"area '{area_raw}' is not a {area_level} code (CBS: WK…/BU…)"].append(row)
        elif number < 0:
            bad_margin_rows[f"population '{value}' is not a number of people"].append(row)
        else:
            population[(margin_area, group_index[group] * len(sexes) + sex_index[sex.lower()])] += number
    problems += [f"margins rows {_rows(rows)}: {message}" for message, rows in bad_margin_rows.items()]
    area_codes = sorted({area for area, _cell in population})
    area_of = {code: i for i, code in enumerate(area_codes)}

    for required in ("area", "sex"):
        if required not in frame.columns:
            problems.append(f"survey: missing column '{required}'")
    if "age" not in frame.columns and "age_group" not in frame.columns:
        problems.append("survey: needs a column 'age' (years) or 'age_group'")
    if problems:
        raise SurveyError(problems)
    n = frame.height
    # Each check runs once per distinct value (a survey repeats a few hundred areas, ages and sexes), then
    # the answers are spread over the rows; a problem names every row with that value.
    bad: dict[str, list[int]] = defaultdict(list)
    parent: dict[str, str] = {}

    def judge(values: list[str], check: Callable[[str], tuple[int, str | None]],
              rows: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:  # fmt: skip
        """Per row the check's index (-1 on a problem); problems recorded for the rows in ``rows``."""
        distinct, inverse = np.unique(np.array(values, dtype=str), return_inverse=True)
        inverse = inverse.ravel()
        results = [check(str(value)) for value in distinct]
        index = np.array([found for found, _message in results], np.int64)[inverse] if n else np.zeros(0, np.int64)
        for position, (_found, message) in enumerate(results):
            if message is not None:
                selected = inverse == position
                if rows is not None:
                    selected &= rows
                bad[message] += (np.flatnonzero(selected) + 2).tolist()
        return index

    def check_area(raw: str) -> tuple[int, str | None]:
        code = _area_code(raw, area_level)
        if code is None:
            return -1, (f"area '{raw}' is not a {area_level} code" if area_level == "wijk" or not raw.upper().startswith("WK")
                        else f"area '{raw}' is a wijk, but the estimates are per buurt")  # fmt: skip
        if code not in area_of:
            return -1, f"area {code} has no margins"
        if area_level == "buurt":
            parent[code] = "WK" + code[2:8]
        return area_of[code], None

    def check_sex(raw: str) -> tuple[int, str | None]:
        if raw.lower() not in sex_index:
            return -1, f"sex '{raw}' is not one of the margins' ({', '.join(sexes)})"
        return sex_index[raw.lower()], None

    def check_age(raw: str) -> tuple[int, str | None]:
        try:
            age = float(raw)
        except ValueError:
            return -1, f"age '{raw}' is not a number of years"
        found = next((i for i, (_label, lo, hi) in enumerate(groups) if lo <= age <= hi), None)
        if found is None:
            return -1, f"age {raw} is outside the age groups ({', '.join(g[0] for g in groups)})"
        return found, None

    def check_age_group(raw: str) -> tuple[int, str | None]:
        found = group_index.get(raw)
        return (-1, f"age group '{raw}' is not one of the margins'") if found is None else (found, None)

    area = np.maximum(judge(_text(frame, "area"), check_area), 0)
    sex_of = judge(_text(frame, "sex"), check_sex)
    if "age" in frame.columns:
        group_of = judge(_text(frame, "age"), check_age, rows=sex_of >= 0)  # a row with a bad sex is named once
    else:
        group_of = judge(_text(frame, "age_group"), check_age_group, rows=sex_of >= 0)
    cell = np.where((sex_of >= 0) & (group_of >= 0), group_of * len(sexes) + sex_of, 0).astype(np.int64)
    design = np.ones(n)
    if "weight" in frame.columns:

        def check_weight(raw: str) -> tuple[int, str | None]:
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                value = -1
            return (0, None) if value >= 0 else (-1, f"weight '{raw}' is not a non-negative number")

        weights_text = _text(frame, "weight")
        if judge(weights_text, check_weight).min(initial=0) >= 0:
            import polars as pl

            design = (frame.get_column("weight").cast(pl.String).str.strip_chars()
                      .str.replace(",", ".", literal=True).cast(pl.Float64).to_numpy())  # fmt: skip
    bad = {message: sorted(rows) for message, rows in sorted(bad.items(), key=lambda item: min(item[1]))}
    problems += [f"survey rows {_rows(rows)}: {message}" for message, rows in bad.items()]
    answers = None
    try:
        answers = answers_code(DJG11, frame, codes=codes, missing=missing)
    except ValueError as error:
        problems.append(f"survey: {error}")
    if problems:
        raise SurveyError(problems)
    assert answers is not None

    def index_of(name: str) -> npt.NDArray[np.int64] | None:
        if name not in frame.columns:
            return None
        return np.unique(np.array(_text(frame, name)), return_inverse=True)[1].astype(np.int64).ravel()

    waves_text = _text(frame, "wave") if "wave" in frame.columns else ["" for _ in range(n)]
    waves = sorted(set(waves_text))
    if len(waves) > 2:
        raise SurveyError([f"survey: at most two waves can be compared, found {', '.join(waves)}"])
    wave = np.array([waves.index(w) for w in waves_text], np.int64)
    cell_population = np.zeros(len(cells))
    area_population = np.zeros(len(area_codes))
    for (code, cell_number), people in population.items():
        cell_population[cell_number] += people
        area_population[area_of[code]] += people
    return Survey(answers=answers, cell=cell, area=area, wave=wave, design=design, stratum=index_of("stratum"),
                  psu=index_of("psu"), area_codes=area_codes, cells=cells, waves=waves, cell_population=cell_population,
                  area_population=area_population, parent=parent)  # fmt: skip


def _outcomes(survey: Survey, rules: dict[str, int]) -> dict[str, npt.NDArray[np.float64]]:
    scores = score(DJG11, survey.answers, rules=rules)
    total = scores.total
    valid = ~np.isnan(total)

    def flag(condition: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        return np.where(valid, condition.astype(float), np.nan)

    def subscale(values: npt.NDArray[np.object_]) -> npt.NDArray[np.float64]:
        return np.array([np.nan if v is None else float(bool(v)) for v in values])

    with np.errstate(invalid="ignore"):
        return {"lonely": flag(total >= 3), "moderate": flag((total >= 3) & (total <= 8)), "severe": flag(total >= 9),
                "social": subscale(scores.social_lonely), "emotional": subscale(scores.emotional_lonely)}  # fmt: skip


def _row(**values: Any) -> dict[str, Any]:
    return {name: values.get(name) for name in OUTPUT_COLUMNS}


def monitor_estimates(survey: Survey, *, area_level: str, min_cell: int = 10, direct_min_respondents: int = 30,
                      rules: dict[str, int] | None = None, references: list[dict[str, Any]] | None = None,
                      progress: Callable[[str], None] | None = None,
                      hidden_wijken: dict[str, set[str]] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Return the long table of estimates (see the module docstring); raise SurveyError when raking fails.

    ``hidden_wijken`` (buurt level only): per wave, the wijken suppressed in the wijk table published
    beside this one; the buurten are then suppressed so that no wijk total gives one away either
    (``disclosure.nested_suppression_mask``).
    """
    step = progress or (lambda _name: None)
    outcomes = _outcomes(survey, rules or {})
    step("scored")
    areas = len(survey.area_codes)
    rows: list[dict[str, Any]] = []
    direct: dict[tuple[int, str], Any] = {}
    published: dict[int, npt.NDArray[np.bool_]] = {}
    for w, wave_name in enumerate(survey.waves):
        in_wave = survey.wave == w
        # An area (a buurt, usually) without respondents cannot be raked to: its people are represented
        # by the sampled areas, whose totals are scaled up to the population; it gets a model estimate.
        sampled = np.bincount(survey.area[in_wave], minlength=areas) > 0
        area_margin = np.where(sampled, survey.area_population, 0.0)
        if not sampled.all() and area_margin.sum() > 0:
            area_margin *= survey.area_population.sum() / area_margin.sum()
        try:
            weights = rake([survey.cell[in_wave], survey.area[in_wave]], [survey.cell_population, area_margin],
                           survey.design[in_wave]).weights  # fmt: skip
        except RakingError as error:
            raise SurveyError([f"wave {wave_name or '(one)'}: the margins cannot be met: {error}"]) from error
        step(f"raked {wave_name}")
        counts = np.bincount(survey.area[in_wave], minlength=areas)
        if area_level == "buurt" and hidden_wijken is not None:
            wijken = sorted({"WK" + code[2:8] for code in survey.area_codes})
            wijk_of = {code: i for i, code in enumerate(wijken)}
            parent = np.array([wijk_of["WK" + code[2:8]] for code in survey.area_codes], np.int64)
            wijk_hidden = np.array([code in hidden_wijken.get(wave_name, set()) for code in wijken])
            hidden = nested_suppression_mask(counts, parent, wijk_hidden, min_cell)
        else:
            hidden = suppression_mask(counts[:, None], min_cell, row_totals=False, column_totals=True)[:, 0]
        published[w] = ~hidden
        city_hidden = bool(too_small(counts.sum(), min_cell))
        for name, y in outcomes.items():
            strata = survey.stratum[in_wave] if survey.stratum is not None else None
            psus = survey.psu[in_wave] if survey.psu is not None else None
            by_area = prevalence_by_area(
                y[in_wave], weights, survey.area[in_wave], areas, stratum=strata, psu=psus
            )
            city = prevalence_by_area(
                y[in_wave], weights, np.zeros(int(in_wave.sum()), np.int64), 1, stratum=strata, psu=psus
            )
            direct[(w, name)] = by_area
            rows.append(_row(level="city", area_code="", wave=wave_name, indicator=name,
                             kind="suppressed" if city_hidden else "direct",
                             **({} if city_hidden else _estimate(city, 0, int(counts.sum())))))  # fmt: skip
            for a, code in enumerate(survey.area_codes):
                if hidden[a]:
                    rows.append(_row(level=area_level, area_code=code, wave=wave_name, indicator=name, kind="suppressed",
                                     note=f"fewer than {min_cell} respondents (or hidden so that one cannot be worked out)"))  # fmt: skip
                elif counts[a] > 0:
                    rows.append(_row(level=area_level, area_code=code, wave=wave_name, indicator=name, kind="direct",
                                     **_estimate(by_area, a, int(counts[a]))))  # fmt: skip
            rows += _model_rows(survey, by_area, counts, name, wave_name, area_level, direct_min_respondents)
        step(f"estimated {wave_name}")
    if len(survey.waves) == 2:
        for name in outcomes:
            first, second = direct[(0, name)], direct[(1, name)]
            for a, code in enumerate(survey.area_codes):
                if (
                    not (published[0][a] and published[1][a])
                    or np.isnan(first.prevalence[a])
                    or np.isnan(second.prevalence[a])
                ):
                    continue
                rows.append(_row(level=area_level, area_code=code, wave=f"{survey.waves[0]}→{survey.waves[1]}",
                                 indicator=name, kind="difference",
                                 **difference(float(first.prevalence[a]), float(first.se[a]),
                                              float(second.prevalence[a]), float(second.se[a]))))  # fmt: skip
    for reference in references or []:
        rows.append(_row(level="reference", area_code="", indicator=reference["indicator"], kind="reference",
                         estimate=reference["value"], instrument=reference["instrument"], source=reference["source"],
                         year=reference["year"], note=reference.get("population", "")))  # fmt: skip
    step("done")
    return rows


def difference(first: float, first_se: float, second: float, second_se: float) -> dict[str, float]:
    """Return second minus first with SE = √(SE₁² + SE₂²) (independent samples) and its 95 % interval."""
    value, se = second - first, float(np.hypot(first_se, second_se))
    return {"estimate": value, "se": se, "ci_low": value - Z95 * se, "ci_high": value + Z95 * se}


def _estimate(result: Any, a: int, respondents: int) -> dict[str, Any]:
    return {"respondents": respondents, "estimate": float(result.prevalence[a]), "se": float(result.se[a]),
            "ci_low": float(result.ci_low[a]), "ci_high": float(result.ci_high[a])}  # fmt: skip


def _model_rows(survey: Survey, by_area: Any, counts: npt.NDArray[np.int64], name: str, wave: str, level: str,
                direct_min: int) -> list[dict[str, Any]]:  # fmt: skip
    """Fay–Herriot for the areas below the precision threshold (intercept, and at buurt level the wijk's estimate)."""
    small = counts < direct_min
    if not small.any():
        return []
    usable = (counts >= 2) & (by_area.se > 0) & ~np.isnan(by_area.prevalence)
    if usable.sum() < 3:
        return []
    columns = [np.ones(len(counts))]
    if level == "buurt" and survey.parent:
        # A buurt without respondents has no entry in survey.parent; its wijk follows from its code.
        parents = [survey.parent.get(c, "WK" + c[2:8]) for c in survey.area_codes]
        wijken = sorted(set(parents))
        wijk_of = {code: i for i, code in enumerate(wijken)}
        index = np.array([wijk_of[p] for p in parents])
        weight = np.bincount(
            index, weights=np.where(usable, by_area.weighted_total, 0), minlength=len(wijken)
        )
        share = np.bincount(index, weights=np.where(usable, by_area.weighted_total * np.nan_to_num(by_area.prevalence), 0),
                            minlength=len(wijken))  # fmt: skip
        wijk_estimate = np.divide(share, weight, out=np.full(len(wijken), np.nan), where=weight > 0)[index]
        columns.append(np.nan_to_num(wijk_estimate, nan=float(np.nanmean(by_area.prevalence[usable]))))
    model = fay_herriot(np.where(usable, by_area.prevalence, np.nan), np.where(usable, by_area.se**2, np.nan),
                        np.column_stack(columns))  # fmt: skip
    rows = []
    for a in np.flatnonzero(small):
        estimate, rmse = float(np.clip(model.estimates[a], 0, 1)), float(np.sqrt(model.mse[a]))
        rows.append(_row(level=level, area_code=survey.area_codes[a], wave=wave, indicator=name, kind="model",
                         estimate=estimate, mse=float(model.mse[a]), ci_low=max(0.0, estimate - Z95 * rmse),
                         ci_high=min(1.0, estimate + Z95 * rmse),
                         note="model estimate (Fay–Herriot); synthetic where the area has no respondents"
                         if counts[a] == 0 else "model estimate (Fay–Herriot)"))  # fmt: skip
    return rows


def references_read(frame: Any, instrument: str) -> list[dict[str, Any]]:
    """Reference values (indicator, value, source, year, instrument[, population]); other instruments refused."""
    needed = {"indicator", "value", "source", "year", "instrument"} - set(frame.columns)
    if needed:
        raise SurveyError([f"reference values: missing column(s) {', '.join(sorted(needed))}"])
    problems, references = [], []
    for row, record in enumerate(frame.iter_rows(named=True), start=2):
        if str(record["instrument"]).strip().lower() != instrument:
            problems.append(f"reference values row {row}: instrument '{record['instrument']}' is not {instrument}; "
                            "figures from different instruments are never shown together")  # fmt: skip
            continue
        if str(record["indicator"]).strip() not in INDICATORS:
            problems.append(
                f"reference values row {row}: indicator '{record['indicator']}' is not one of {', '.join(INDICATORS)}"
            )
            continue
        try:
            value = float(str(record["value"]).replace(",", ".").rstrip("%"))
        except ValueError:
            problems.append(f"reference values row {row}: value '{record['value']}' is not a number")
            continue
        references.append({"indicator": str(record["indicator"]).strip(), "value": value / 100 if value > 1 else value,
                           "source": str(record["source"]), "year": str(record["year"]), "instrument": instrument,
                           "population": str(record.get("population") or "")})  # fmt: skip
    if problems:
        raise SurveyError(problems)
    return references
