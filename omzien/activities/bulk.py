# SPDX-License-Identifier: EUPL-1.2
"""Upload of many activities at once (CSV or XLSX): every row checked first, then all saved or none.

The report names the row (as numbered in a spreadsheet, the header being row 1), the column and
what is wrong, in words a non-programmer understands.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation
from omzien.activities import services
from omzien.activities.forms import ActivityForm
from omzien.activities.models import Activity, Term
from omzien.activities.schedules import ScheduleError, Slot, parse_schedule
from omzien.geo.selectors import normalize_postcode, postcode_get
from omzien.lib import csv_safe
from omzien.lib.uploads import Limits, UploadRefusedError, csv_rows, xlsx_rows
from omzien.residents.forms import LANGUAGES

COLUMNS = ("titel", "omschrijving", "plaatsen", "rooster", "locatie", "adres", "postcode", "interesses",
           "doelgroepen", "talen", "kosten", "toelichting_kosten", "toegang", "rolstoel", "ringleiding",
           "telefoon", "email")  # fmt: skip
REQUIRED = ("titel", "plaatsen")
YES = {"ja", "j", "yes", "y", "1", "x", "waar", "true"}
NO = {"nee", "n", "no", "0", "", "onwaar", "false"}
ACCESS = {"vrije inloop": Activity.Access.WALK_IN, "inloop": Activity.Access.WALK_IN, "walk_in": Activity.Access.WALK_IN,
          "indicatie": Activity.Access.INDICATION, "met indicatie": Activity.Access.INDICATION,
          "indication": Activity.Access.INDICATION}  # fmt: skip
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


class UploadError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, too large)."""


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    location: services.LocationData | None
    slots: list[Slot]
    interests: list[Term]
    target_groups: list[Term]


@dataclass
class UploadReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


LIMITS = Limits(max_rows=MAX_ROWS, max_columns=100, max_seconds=20.0)


def read_table(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Return (spreadsheet row number, {column: text}) per filled row, column names lower-cased.

    Blank rows are left out but keep their place in the numbering, so "row 7" is row 7 in the
    spreadsheet. Raise UploadError when the file cannot be read or exceeds the bounds (lib.uploads).
    """
    if len(content) > MAX_BYTES:
        raise UploadError(_("The file is larger than 5 MB."))
    lower = name.lower()
    try:
        if lower.endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252", errors="replace")
            try:
                dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
            except csv.Error:  # one column, or no separator the sniffer can see: read it as plain CSV
                dialect = csv.excel
            table = list(csv_rows(text, LIMITS, dialect))
        elif lower.endswith((".xlsx", ".xlsm")):
            table = [(number, [_cell(v) for v in values]) for number, values in xlsx_rows(content, LIMITS)]
        else:
            raise UploadError(_("Upload a .csv or .xlsx file."))
    except UploadRefusedError as refused:
        raise UploadError(str(refused)) from refused
    if not table or not any(table[0][1]):
        raise UploadError(_("The file has no header row."))
    header = [str(h).strip().lower().replace(" ", "_") for h in table[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UploadError(
            _("The header row lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = [(number, dict(zip(header, [_cell(v) for v in r], strict=False))) for number, r in table[1:]]
    return [(number, row) for number, row in rows if any(row.values())]


def _terms(text: str, vocabulary: str, known: dict[str, Term], label: str, problem: Any) -> list[Term]:
    found = []
    for word in filter(None, (w.strip().lower() for w in text.replace(",", ";").split(";"))):
        term = known.get(word)
        if term is None:
            problem(label, _("'%(word)s' is not in the list of %(list)s.") % {"word": word, "list": label})
        else:
            found.append(term)
    return found


def _flag(text: str, label: str, problem: Any) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() not in NO:
        problem(label, _("'%(value)s' is not ja or nee.") % {"value": text})
    return False


# The form's fields and the upload's columns: a row must pass the same field rules as the form.
FORM_COLUMNS = {"title": "titel", "description": "omschrijving", "capacity": "plaatsen", "access": "toegang",
                "cost_eur": "kosten", "cost_note": "toelichting_kosten", "contact_phone": "telefoon",
                "contact_email": "email", "location_name": "locatie", "street": "adres", "postcode": "postcode"}  # fmt: skip


def _form_rules(raw: dict[str, str], access: Any, cost: Decimal, problem: Any, row_problems: list[str]) -> None:
    """Report what the activity form would refuse (lengths, ranges, e-mail, NUL bytes), once per column."""
    data = {name: raw.get(column, "") for name, column in FORM_COLUMNS.items()}
    data |= {"access": access or Activity.Access.WALK_IN, "cost_eur": str(cost), "is_active": "on"}
    form = ActivityForm(data=data)
    if form.is_valid():
        return
    for name, errors in form.errors.items():
        column = FORM_COLUMNS.get(name)
        if column is None or any(f"'{column}'" in text for text in row_problems):
            continue  # a column the row check already explained
        problem(column, " ".join(str(error) for error in errors))


def check_rows(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[Row], list[str]]:
    """Validate every row; return the parsed rows and the problems (all of them, not only the first)."""
    interests = {
        k: t
        for t in Term.objects.filter(vocabulary=Term.Vocabulary.INTEREST)
        for k in (t.code, t.name.lower())
    }
    groups = {
        k: t
        for t in Term.objects.filter(vocabulary=Term.Vocabulary.TARGET_GROUP)
        for k in (t.code, t.name.lower())
    }
    language_codes = {code for code, _label in LANGUAGES}
    parsed: list[Row] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for index, raw in rows:
        row_problems: list[str] = []

        def problem(
            column: str, message: str, index: int = index, row_problems: list[str] = row_problems
        ) -> None:
            row_problems.append(
                _("Row %(row)s, column '%(column)s': %(message)s")
                % {"row": index, "column": column, "message": message}
            )

        title = raw.get("titel", "")
        if not title:
            problem("titel", _("the title is empty."))
        elif len(title) > 200:
            problem("titel", _("the title is longer than 200 characters."))
        capacity = 0
        try:
            capacity = int(raw.get("plaatsen", ""))
            if capacity < 0:
                raise ValueError
        except ValueError:
            problem(
                "plaatsen",
                _("'%(value)s' is not a whole number of places (0 or more).")
                % {"value": raw.get("plaatsen", "")},
            )
        try:
            slots = parse_schedule(raw.get("rooster", ""))
        except ScheduleError as error:
            problem("rooster", str(error))
            slots = []
        location = None
        postcode_text = raw.get("postcode", "")
        if raw.get("locatie") or postcode_text:
            code = normalize_postcode(postcode_text)
            if code is None:
                problem(
                    "postcode", _("'%(value)s' is not a postcode like 3561 AB.") % {"value": postcode_text}
                )
            elif postcode_get(code) is None:
                problem("postcode", _("postcode %(value)s is not in this municipality.") % {"value": code})
            location = services.LocationData(
                name=raw.get("locatie") or title, street=raw.get("adres", ""), postcode=code or "",
                wheelchair_accessible=_flag(raw.get("rolstoel", ""), "rolstoel", problem),
                hearing_loop=_flag(raw.get("ringleiding", ""), "ringleiding", problem),
            )  # fmt: skip
        languages = [
            w.strip().lower() for w in raw.get("talen", "").replace(",", ";").split(";") if w.strip()
        ]
        for code in languages:
            if code not in language_codes:
                problem(
                    "talen",
                    _("'%(value)s' is not a language code such as nl, en, ar, tr, zh.") % {"value": code},
                )
        cost = Decimal(0)
        try:
            cost = services.cost_from_text(raw.get("kosten", ""))
            if cost < 0 or cost >= 100000:
                raise InvalidOperation
        except InvalidOperation:
            problem(
                "kosten",
                _("'%(value)s' is not an amount in euros, like 2,50.") % {"value": raw.get("kosten", "")},
            )
        access_text = raw.get("toegang", "").lower() or "vrije inloop"
        access = ACCESS.get(access_text)
        if access is None:
            problem(
                "toegang",
                _("'%(value)s' is not 'vrije inloop' or 'indicatie'.") % {"value": raw.get("toegang", "")},
            )
        email = raw.get("email", "")
        if email and "@" not in email:
            problem("email", _("'%(value)s' is not an e-mail address.") % {"value": email})
        key = (title.lower(), (location.name.lower() if location else ""))
        if key in seen:
            problem(
                "titel",
                _("the same activity at the same location is also in row %(row)s.") % {"row": seen[key]},
            )
        seen[key] = index
        row_interests = _terms(
            raw.get("interesses", ""), Term.Vocabulary.INTEREST, interests, "interesses", problem
        )
        row_groups = _terms(
            raw.get("doelgroepen", ""), Term.Vocabulary.TARGET_GROUP, groups, "doelgroepen", problem
        )
        _form_rules(raw, access, cost, problem, row_problems)
        if row_problems:
            problems.extend(row_problems)
            continue
        values = {
            "title": title, "description": raw.get("omschrijving", ""), "capacity": capacity, "languages": languages or ["nl"],
            "cost_eur": cost, "cost_note": raw.get("toelichting_kosten", ""), "access": access,
            "contact_phone": raw.get("telefoon", ""), "contact_email": email, "is_active": True,
        }  # fmt: skip
        parsed.append(Row(index, values, location, slots, row_interests, row_groups))
    return parsed, problems


def activities_upload(*, organisation: Organisation, name: str, content: bytes) -> UploadReport:
    """Check the whole file, then save every row in one transaction; on any problem save nothing.

    A row with the title and location of an existing activity of the organisation updates it.
    """
    table = read_table(name, content)
    parsed, problems = check_rows(table)
    report = UploadReport(rows=len(table), problems=problems)
    existing = {
        (a.title.lower(), a.location.name.lower() if a.location else ""): a
        for a in Activity.objects.filter(organisation=organisation).select_related("location")
    }
    for row in parsed:
        current = existing.get(
            (row.values["title"].lower(), row.location.name.lower() if row.location else "")
        )
        if current is not None and row.values["capacity"] < current.places_taken:
            report.problems.append(
                _("Row %(row)s, column 'plaatsen': %(taken)s places are taken; the number cannot be lower.")
                % {"row": row.number, "taken": current.places_taken}
            )
    if report.problems:
        return report
    with transaction.atomic():
        for row in parsed:
            current = existing.get(
                (row.values["title"].lower(), row.location.name.lower() if row.location else "")
            )
            services.activity_save(organisation=organisation, values=row.values, location=row.location, slots=row.slots,
                                   interests=row.interests, target_groups=row.target_groups, activity=current)  # fmt: skip
            if current is None:
                report.created += 1
            else:
                report.updated += 1
    return report


def example_csv() -> str:
    """An example file with the expected columns, for providers to start from."""
    out = io.StringIO()
    writer = csv_safe.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(["Huiskamer Overvecht", "Koffie, een praatje en samen de krant lezen.", "15",
                     "ma 10:00-12:00; do 10:00-12:00", "Buurtcentrum De Dreef", "Zamenhofdreef 1", "3562 JT",
                     "ontmoeten; lezen", "65-plus", "nl; ar", "0", "Koffie en thee gratis", "vrije inloop", "ja",
                     "nee", "030-1234567", "info@example.org"])  # fmt: skip
    return out.getvalue()
