# SPDX-License-Identifier: EUPL-1.2
"""The council's figures: outcomes per route, reach, occupancy against the target, the monitor (reads only).

``council_figures`` gathers everything the council's page and report show as one JSON-able dict of
aggregates — counts, shares and intervals with small cells already suppressed, never a person — from
the other rooms' selectors and the pure outcome core (``omzien.reports.outcomes``). The page shows
it live; a council report stores it (``CouncilReport.figures``) and renders only what it stored, so
the same report can be made again and erasing a resident never touches one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import numpy as np

from omzien import policy
from omzien.lib.disclosure import cell_too_small, suppression_mask
from omzien.reports.models import INDICATOR_LABELS, Edition
from omzien.reports.outcomes import DJG11_RELIABILITY, MOMENTS, OutcomeCell, RecordLike, route_outcomes
from omzien.reports.selectors import area_names, default_wave

FIGURES_VERSION = 1


def outcome_records() -> list[RecordLike]:
    """The outcome records casework offers for statistics (statistics-allowed residents only); [] until it does.

    Casework's ``outcome_records`` (issue #19, agreed in the session's interfaces) selects the
    residents whose use for statistics is allowed; the reports room never reads casework's models.
    """
    from omzien.casework import selectors as casework

    source = getattr(casework, "outcome_records", None)
    return list(source()) if source is not None else []


def _cell(cell: OutcomeCell) -> dict[str, Any]:
    return asdict(cell)


def outcomes_figures(records: Iterable[RecordLike], *, min_cell: int, moments: Sequence[int] = MOMENTS,
                     reliability: float = DJG11_RELIABILITY) -> dict[str, Any]:  # fmt: skip
    """The outcome core's table for these records, as plain values (suppressed cells carry no numbers)."""
    table = route_outcomes(records, moments=moments, min_cell=min_cell, reliability=reliability)
    wijk_names = {code: name for code, (name, _wijk) in area_names("wijk").items()}
    by_wijk = [dict(_cell(c), group_name=wijk_names.get(c.group, c.group)) for c in table.by_wijk]
    return {
        "cells": [_cell(c) for c in table.cells], "waiting": [_cell(c) for c in table.waiting],
        "by_wijk": by_wijk, "by_organisation": [_cell(c) for c in table.by_organisation],
        "organisation_names": _organisation_names({c.group for c in table.by_organisation}),
        "reliability": table.reliability, "sd": table.sd, "rci_band": table.rci_band,
        "lonely_from": table.lonely_from, "min_cell": table.min_cell, "records": table.records,
        "moments": list(moments),
    }  # fmt: skip


def _organisation_names(ids: set[str]) -> dict[str, str]:
    from omzien.accounts.models import Organisation

    wanted = [int(i) for i in ids if i.isdigit()]
    return {str(pk): name for pk, name in Organisation.objects.filter(pk__in=wanted).values_list("pk", "name")}


def occupancy_figures(*, min_cell: int) -> dict[str, Any]:
    """Places, places taken and residents waiting per wijk and for the city, against the policy's target.

    Places are no persons; the numbers of residents taking places and waiting are, so a wijk with
    fewer than ``min_cell`` of them shows none (and a partner is hidden, the city total being published).
    """
    from omzien.activities.selectors import occupancy_by_district, waiting_days_by_district

    rows, city = occupancy_by_district()
    waited = waiting_days_by_district()
    taken = np.array([[r.taken for r in rows]], dtype=np.int64)
    waiting = np.array([[r.waiting for r in rows]], dtype=np.int64)
    hide_taken = _mask_nonzero(taken, min_cell)
    hide_waiting = _mask_nonzero(waiting, min_cell)
    city_taken = None if (city.taken and cell_too_small(city.taken, min_cell)) or sum(hide_taken) == 1 else city.taken
    city_waiting = None if (city.waiting and cell_too_small(city.waiting, min_cell)) or sum(hide_waiting) == 1 else city.waiting
    return {
        "rows": [
            {"wijk": r.label, "activities": r.activities, "places": r.places,
             "taken": None if hide_taken[i] else r.taken, "waiting": None if hide_waiting[i] else r.waiting,
             "occupancy": None if hide_taken[i] or not r.places else r.taken / r.places,
             "median_days": _median(waited.get(r.label if r.label != "—" else "", []), min_cell, hide_waiting[i])}
            for i, r in enumerate(rows)
        ],
        "median_days": _median([d for days in waited.values() for d in days], min_cell, False),
        "city": {"activities": city.activities, "places": city.places, "taken": city_taken, "waiting": city_waiting,
                 "occupancy": city_taken / city.places if city.places and city_taken is not None else None},
        "target": int(policy.get("activities.places_target")),
        "start": int(policy.get("activities.places_start")),
    }  # fmt: skip


def _median(days: list[int], min_cell: int, hidden: bool) -> float | None:
    """The median days waited, or None for a group too small to show (or hidden with its count)."""
    if hidden or cell_too_small(len(days), min_cell):
        return None
    return float(np.median(days))


def _mask_nonzero(counts: np.ndarray, min_cell: int) -> list[bool]:
    """Suppression of one line of counts with its total published; zeros are shown (they protect nobody)."""
    nonzero = np.flatnonzero(counts[0])
    hidden = [False] * counts.shape[1]
    if nonzero.size:
        mask = suppression_mask(counts[:, nonzero], min_cell, row_totals=True, column_totals=False)[0]
        for position, index in enumerate(nonzero):
            hidden[int(index)] = bool(mask[position])
    return hidden


STAGES = ("signals", "intakes", "referrals", "started", "active_at_3_months")


def _suppress_columns(rows: list[dict[str, Any]], columns: Sequence[str], min_cell: int) -> set[str]:
    """Hide (set to None) small counts column by column, the column's total being published (nonzero only).

    Returns the columns whose total must be hidden too: a total below the minimum, or a column left with
    one hidden cell and nothing to pair it with (the total minus the shown cells would give it away).
    """
    unsafe_totals = set()
    for column in columns:
        counts = np.array([[row[column] for row in rows]], dtype=np.int64)
        hidden = _mask_nonzero(counts, min_cell)
        for row, hide in zip(rows, hidden, strict=True):
            if hide:
                row[column] = None
        total = int(counts.sum())
        if (total and cell_too_small(total, min_cell)) or sum(hidden) == 1:
            unsafe_totals.add(column)
    return unsafe_totals


def reach_figures(*, min_cell: int, today: Any = None) -> dict[str, Any]:
    """The reach funnel (casework's ``reach_counts``) per route, per wijk and per month, small counts hidden.

    Signals → intakes → referrals → started → still active three months after the start. Totals are
    published, so each column is suppressed with a partner where one small cell would follow from it.
    """
    from omzien.casework.selectors import reach_counts, routes

    counts = reach_counts(today=today)
    route_labels = {route.code: route.label for route in routes()}
    totals: dict[str, int | None] = {stage: sum(getattr(c, stage) for c in counts) for stage in STAGES}
    by_route: dict[str, dict[str, Any]] = {}
    by_wijk: dict[str, dict[str, Any]] = {}
    by_month: dict[str, dict[str, Any]] = {}
    wijk_names = {code: name for code, (name, _wijk) in area_names("wijk").items()}
    for c in counts:
        groups = [(by_wijk, c.wijk or "", wijk_names.get(c.wijk, "—") if c.wijk else "—"),
                  (by_month, c.month.isoformat()[:7], c.month.isoformat()[:7])]  # fmt: skip
        if c.route:
            groups.append((by_route, c.route, str(route_labels.get(c.route, c.route))))
        for table, key, label in groups:
            row = table.setdefault(key, {"key": key, "label": label, **dict.fromkeys(STAGES, 0)})
            for stage in STAGES:
                row[stage] += getattr(c, stage)
    result: dict[str, Any] = {"totals": totals}
    for name, table, columns in (("by_route", by_route, STAGES[2:]), ("by_wijk", by_wijk, STAGES),
                                 ("by_month", by_month, STAGES)):  # fmt: skip
        rows = sorted(table.values(), key=lambda r: r["key"] if name == "by_month" else r["label"])
        if name == "by_route":
            for row in rows:
                row.pop("signals"), row.pop("intakes")
        for column in _suppress_columns(rows, columns, min_cell):
            totals[column] = None
        result[name] = rows
    result["by_month"] = result["by_month"][-12:]
    return result


def waits_figures(*, min_cell: int, today: Any = None) -> list[dict[str, Any]]:
    """Waiting times per route (casework's ``route_waits``): residents started and the median days from
    referral to start (with the quartiles), residents still waiting and the median days waited so far.

    The counts are hidden as the reach table hides them (column by column with a partner, the same counts
    of started referrals), and a median with its count: a group too small to show has no figure.
    """
    from omzien.casework.selectors import route_waits, routes

    labels = {route.code: route.label for route in routes()}
    waits = route_waits(today=today)
    rows: list[dict[str, Any]] = [
        {"key": w.route, "label": str(labels.get(w.route, w.route)), "started": len(w.started_days),
         "waiting": len(w.waiting_days), "_started_days": w.started_days, "_waiting_days": w.waiting_days}
        for w in waits
    ]  # fmt: skip
    _suppress_columns(rows, ["started", "waiting"], min_cell)
    result = []
    for row in rows:
        started_days, waiting_days = row.pop("_started_days"), row.pop("_waiting_days")
        shown_started = row["started"] is not None and not cell_too_small(len(started_days), min_cell)
        shown_waiting = row["waiting"] is not None and not cell_too_small(len(waiting_days), min_cell)
        if not shown_started:
            row["started"] = None if started_days else row["started"]
        if not shown_waiting:
            row["waiting"] = None if waiting_days else row["waiting"]
        quartiles = np.percentile(started_days, [25, 50, 75]) if shown_started else None
        row.update(
            start_median=float(quartiles[1]) if quartiles is not None else None,
            start_q1=float(quartiles[0]) if quartiles is not None else None,
            start_q3=float(quartiles[2]) if quartiles is not None else None,
            waited_median=float(np.median(waiting_days)) if shown_waiting else None,
        )  # fmt: skip
        result.append(row)
    return result


def calls_figures() -> list[dict[str, Any]]:
    """Phone-line calls per month over the helplines (anonymous call log: counts, no caller)."""
    from omzien.accounts.models import Organisation
    from omzien.casework.selectors import call_figures

    months: dict[str, dict[str, Any]] = {}
    for organisation in Organisation.objects.filter(kind=Organisation.Kind.HELPLINE).only("pk"):
        for month in call_figures(organisation.pk):
            row = months.setdefault(month.month.isoformat()[:7], {"month": month.month.isoformat()[:7], "calls": 0,
                                                                   "loneliness": 0, "signals": 0})  # fmt: skip
            row["calls"] += month.calls
            row["loneliness"] += month.loneliness
            row["signals"] += month.signals
    return sorted(months.values(), key=lambda r: r["month"])[-12:]


PAIR_MOMENTS = ((3, 91), (6, 182), (12, 365))


def pairs_figures(*, min_cell: int) -> list[dict[str, Any]]:
    """Pair durability per organisation and kind from the volunteers room (Kaplan–Meier, its own function).

    The volunteers room computes the curves (``pair_durability``) and reads them (``survival_at``); this
    only picks 3, 6 and 12 months and the median days from request to first meeting. A curve over fewer
    than ``min_cell`` pairs shows neither.
    """
    from omzien.volunteers.selectors import pair_durability, survival_at

    rows: list[dict[str, Any]] = []
    for curve in pair_durability():
        label = " · ".join(str(part) for part in (curve.organisation, curve.route) if part)
        if cell_too_small(curve.pairs, min_cell):
            rows.append({"label": label, "n": None, "moments": [], "first_meeting_days": None})
            continue
        moments = []
        for months, day in PAIR_MOMENTS:
            point = survival_at(curve, day)
            moments.append({"months": months, "survival": point[0] if point else None,
                            "lower": point[1] if point else None, "upper": point[2] if point else None})  # fmt: skip
        rows.append({"label": label, "n": curve.pairs, "moments": moments,
                     "first_meeting_days": curve.days_to_first_meeting_median})  # fmt: skip
    return rows


def monitor_figures(edition: Edition) -> dict[str, Any]:
    """The edition's city figures and its wijk figures of the 'lonely' indicator, as stored (suppressed stays so)."""
    wave = default_wave(edition)
    names = area_names("wijk")
    city = {
        f.indicator: {"label": str(INDICATOR_LABELS.get(f.indicator, f.indicator)), "estimate": f.estimate,
                      "ci_low": f.ci_low, "ci_high": f.ci_high}
        for f in edition.figures.filter(level="city", kind="direct", wave=wave)
    }  # fmt: skip
    wijken: dict[str, dict[str, Any]] = {}
    for f in edition.figures.filter(level="wijk", indicator="lonely", wave=wave).order_by("area_code", "kind"):
        entry = wijken.setdefault(f.area_code, {"code": f.area_code, "name": names.get(f.area_code, (f.area_code,))[0],
                                                "estimate": None, "ci_low": None, "ci_high": None, "kind": "suppressed"})
        if f.kind == "model" or (f.kind == "direct" and entry["kind"] != "model"):
            entry.update(estimate=f.estimate, ci_low=f.ci_low, ci_high=f.ci_high, kind=f.kind)
    return {
        "id": edition.pk, "title": edition.title, "fieldwork_date": edition.fieldwork_date.isoformat(),
        "respondents": edition.respondents, "min_cell": edition.settings.get("min_cell"),
        "direct_min": edition.settings.get("direct_min"), "method": edition.method, "code_version": edition.code_version,
        "city": city, "wijken": sorted(wijken.values(), key=lambda w: w["name"]),
    }  # fmt: skip


def sections_figures(now: datetime, *, min_cell: int = 10) -> dict[str, Any]:
    """The other rooms' report sections (``Room.report_sections``): aggregates only, by key."""
    from omzien.lib.rooms import report_sections

    result: dict[str, Any] = {}
    for _room, section in report_sections():
        if section.key == "loneliness":
            continue  # the monitor: the report's own chapter, from the chosen edition
        value = section.build({"now": now})
        if value:
            result[section.key] = {"title": str(section.title), "value": value}
    signals = result.get("signals", {}).get("value", {}).get("signals")
    if signals:
        # Counts of signals per source and outcome: small ones hidden like every other published count.
        rows = [dict(row) for row in signals]
        _suppress_columns(rows, ["n"], min_cell)
        result["signals"]["value"]["signals"] = rows
    return result


def council_figures(*, edition: Edition, now: datetime, records: Iterable[RecordLike] | None = None,
                    min_cell: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Every aggregate the council's page and report show, as plain JSON-able values."""
    cell = int(min_cell if min_cell is not None else policy.get("publication.min_cell_size"))
    chosen = list(records) if records is not None else outcome_records()
    return {
        "version": FIGURES_VERSION,
        "made_at": now.isoformat(),
        "min_cell": cell,
        "edition": monitor_figures(edition),
        "edition_ids": [edition.pk],
        "outcomes": outcomes_figures(chosen, min_cell=cell),
        "occupancy": occupancy_figures(min_cell=cell),
        "reach": reach_figures(min_cell=cell),
        "waits": waits_figures(min_cell=cell),
        "calls": calls_figures(),
        "pairs": pairs_figures(min_cell=cell),
        "sections": sections_figures(now, min_cell=cell),
    }


# Words for the columns and totals of other rooms' sections (a key without one is shown as it is spelled).
SECTION_WORDS = {
    "district": "Wijk", "wijk": "Wijk", "applications": "Applications", "granted": "Granted", "running": "Running",
    "evaluated": "Evaluated", "participants": "Participants", "booked_hours": "Hours booked", "visitors": "Visitors",
    "year": "Year", "per_wijk": "Per wijk", "city": "City", "n": "Number", "month": "Month",
}  # fmt: skip
# Drawn by the council's own chapters (the monitor) or in a table of their own (signals).
OWN_SECTIONS = ("loneliness", "signals")


def _word(key: str) -> str:
    from django.utils.translation import gettext as _

    word = SECTION_WORDS.get(key)
    return _(word) if word else key.replace("_", " ").capitalize()


def _machine_key(key: str) -> bool:
    return key in ("code", "id", "key") or key.endswith(("_code", "_id"))


def other_sections(sections: dict[str, Any]) -> list[dict[str, Any]]:
    """Other rooms' report sections (``Room.report_sections``, stored in ``figures["sections"]``) drawn
    without knowing them: a list of rows becomes a table (codes and ids left out), a dict of numbers whose
    keys are the table's columns its total row, other numbers and words a list of facts. A room whose
    section needs small counts hidden hides them itself (the contract: aggregates only)."""
    drawn: list[dict[str, Any]] = []
    for key, section in sections.items():
        if key in OWN_SECTIONS or not isinstance(section, dict):
            continue
        value = section.get("value")
        if not isinstance(value, dict):
            value = {"value": value}
        tables: list[dict[str, Any]] = []
        totals: list[tuple[str, dict[str, Any]]] = []
        facts: list[tuple[str, Any]] = []
        for name, item in value.items():
            if isinstance(item, list) and item and all(isinstance(row, dict) for row in item):
                columns = [c for c in item[0] if not _machine_key(c)]
                tables.append({"key": f"{key}-{name}", "caption": f"{section['title']}: {_word(name).lower()}",
                               "columns": [(c, _word(c)) for c in columns],
                               "rows": [[row.get(c) for c in columns] for row in item], "total": None})  # fmt: skip
            elif isinstance(item, dict) and all(isinstance(v, int | float) or v is None for v in item.values()):
                totals.append((name, item))
            elif isinstance(item, str | int | float):
                facts.append((_word(name), item))
        for name, total in totals:
            table = next((t for t in tables if set(total) <= {c for c, _label in t["columns"]}), None)
            if table is not None and table["total"] is None:
                table["total"] = [_word(name)] + [total.get(c) for c, _label in table["columns"][1:]]
            else:
                facts.extend((f"{_word(name)}: {_word(k).lower()}", v) for k, v in total.items())
        drawn.append({"key": key, "title": section["title"], "tables": tables, "facts": facts})
    return drawn


def presentation(figures: dict[str, Any]) -> dict[str, Any]:
    """What the templates need besides ``figures``: per moment the rows and a forest plot, the breakdowns, the map.

    Only reshapes and draws the stored figures (text in the alternative texts is formatted from the same
    numbers); nothing here is computed anew.
    """
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    from omzien.geo.models import District
    from omzien.reports import charts

    outcomes = figures["outcomes"]
    moments = []
    for months in outcomes["moments"]:
        cells = [c for c in outcomes["cells"] if c["months"] == months]
        waiting = next((c for c in outcomes["waiting"] if c["months"] == months and c["measured"]), None)
        shown = [c for c in cells if not c["suppressed"] and c["mean_change"]]
        if waiting is not None and waiting["mean_change"]:
            shown.append(dict(waiting, route_label=_("Still waiting")))
        items = [(c["route_label"], c["mean_change"]["estimate"], c["mean_change"]["low"], c["mean_change"]["high"])
                 for c in shown]  # fmt: skip
        alt = _("Forest plot of the mean change in loneliness score %(months)s months after the start: %(rows)s.") % {
            "months": months,
            "rows": "; ".join(f"{label} {number_format(e, 1)} ({number_format(lo, 1)} – {number_format(hi, 1)})"
                              for label, e, lo, hi in items),
        }  # fmt: skip
        moments.append({"months": months, "cells": cells, "waiting": waiting,
                        "chart": charts.forest_svg(items, axis_label=_("change in DJG-11 points")) if items else "",
                        "chart_alt": alt})  # fmt: skip
    names = outcomes.get("organisation_names", {})
    breakdowns = [
        {"key": "wijk", "title": _("Outcomes per wijk"), "group_label": _("Wijk"), "cells": outcomes["by_wijk"]},
        {"key": "organisation", "title": _("Outcomes per organisation"), "group_label": _("Organisation"),
         "cells": [dict(c, group_name=names.get(c["group"], c["group"])) for c in outcomes["by_organisation"]]},
    ]  # fmt: skip
    wijken = figures["edition"]["wijken"]
    shown_wijken = [w for w in wijken if w["estimate"] is not None]
    boundaries = {d.code: d.boundary for d in District.objects.only("code", "boundary") if d.boundary}
    values = {w["code"]: w["estimate"] for w in wijken}
    shapes = [(w["name"], boundaries[w["code"]], values.get(w["code"])) for w in wijken if w["code"] in boundaries]
    listing = "; ".join(f"{w['name']} {number_format(w['estimate'] * 100, 1)} %" for w in shown_wijken)
    stage_labels = {"signals": _("Signals"), "intakes": _("Intakes"), "referrals": _("Referrals"),
                    "started": _("Started"), "active_at_3_months": _("Active after 3 months")}  # fmt: skip
    reach = figures.get("reach") or {}
    reach_tables = [
        {"key": "route", "caption": _("Referrals per route: started and still running after three months"),
         "label": _("Route"), "rows": reach.get("by_route", []),
         "stages": [(s, stage_labels[s]) for s in ("referrals", "started", "active_at_3_months")]},
        {"key": "wijk", "caption": _("Per wijk, from signal to a route that lasts"), "label": _("Wijk"),
         "rows": reach.get("by_wijk", []), "stages": list(stage_labels.items())},
        {"key": "month", "caption": _("Per month (the last twelve)"), "label": _("Month"),
         "rows": reach.get("by_month", []), "stages": list(stage_labels.items())},
    ]  # fmt: skip
    return {
        "other_sections": other_sections(figures.get("sections") or {}),
        "reach_tables": reach_tables,
        "outcome_moments": moments,
        "outcome_breakdowns": breakdowns,
        "charts": {
            "map": charts.choropleth_svg(shapes),
            "map_alt": _("Map of the wijken, coloured by the share of lonely adults: %(rows)s.") % {"rows": listing},
            "bars": charts.share_bars_svg([(w["name"], w["estimate"], w["ci_low"], w["ci_high"]) for w in shown_wijken]),
            "bars_alt": _("Bar chart of lonely adults per wijk with 95%% intervals: %(rows)s.") % {"rows": listing},
        },
    }  # fmt: skip
