# SPDX-License-Identifier: EUPL-1.2
"""A date of birth and a phone number as people type them; what cannot be one is refused with a message
(a year-1 birth date and a row of emoji were saved into a resident's record)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.roles import Role
from omzien.lib.forms import DateOfBirthField, PhoneField
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.models import Resident


class PersonFieldTests(SimpleTestCase):
    def test_every_date_picker_in_omzien_writes_the_notation_browsers_take(self) -> None:
        # A plain DateField with a type="date" widget wrote 03-12-2026 in Dutch: a date filled in beforehand
        # (a stored Wmo date, a survey date) showed as an empty field. Every form of every room is checked.
        import importlib
        import pkgutil

        from django import forms

        import omzien

        wrong, seen = [], 0
        for module_info in pkgutil.walk_packages(omzien.__path__, "omzien."):
            if not module_info.name.rsplit(".", 1)[-1].startswith("forms") or ".tests" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for form in vars(module).values():
                if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                    continue
                for name, field in getattr(form, "base_fields", {}).items():
                    widget = field.widget
                    if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                        seen += 1
                        if widget.format != "%Y-%m-%d":
                            wrong.append(f"{module_info.name}.{form.__name__}.{name}")
        self.assertGreater(seen, 5)
        self.assertEqual(wrong, [])

    def test_a_date_picker_gets_its_date_in_the_one_notation_browsers_take_in_every_language(self) -> None:
        from datetime import date

        from django import forms
        from django.utils import translation

        from omzien.lib.forms import BoundedDateField

        class DayForm(forms.Form):
            day = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
            born = DateOfBirthField(widget=forms.DateInput(attrs={"type": "date"}))
            typed = BoundedDateField()  # a text box keeps the language's own notation

        for language in ("nl", "en"):
            with self.subTest(language), translation.override(language):
                form = DayForm(initial={"day": date(2026, 12, 3), "born": date(1944, 2, 1), "typed": date(2026, 12, 3)})
                self.assertIn('value="2026-12-03"', str(form["day"]))
                self.assertIn('value="1944-02-01"', str(form["born"]))
        with translation.override("nl"):
            # What a browser sends, and Dutch notation as people type it, are both read.
            self.assertTrue(DayForm({"day": "2026-12-03", "born": "01-02-1944", "typed": "3-12-2026"}).is_valid())
            self.assertIn('value="03-12-2026"', str(DayForm(initial={"typed": date(2026, 12, 3)})["typed"]))

    def test_a_phone_number_is_digits_with_the_separators_people_use(self) -> None:
        field = PhoneField(required=False)
        for typed in ("06-12345678", "030 286 00 00", "+31 6 1234 5678", "(030) 123 4567", "0031.30.2860000", ""):
            with self.subTest(typed):
                self.assertEqual(field.clean(typed), typed)
        for typed in ("😀😀😀", "bel me", "12345", "06-1234567890123456", "+31 6 abc", "06 1234 5678 x"):
            with self.subTest(typed), self.assertRaises(ValidationError) as refused:
                field.clean(typed)
            self.assertIn(refused.exception.code, ("phone", "max_length"), typed)

    def test_a_date_of_birth_is_from_1900_and_not_in_the_future(self) -> None:
        field = DateOfBirthField(required=False, input_formats=["%d-%m-%Y", "%Y-%m-%d"])
        self.assertEqual(field.clean("17-03-1948").year, 1948)
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        for typed in ("01-01-0001", "0001-01-01", "31-12-1899", tomorrow):
            with self.subTest(typed), self.assertRaises(ValidationError):
                field.clean(typed)


class ResidentFormTests(TestCase):
    def test_a_professional_cannot_save_a_birth_in_year_one_or_an_emoji_phone(self) -> None:
        world = build_world()
        login_verified(self.client, world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        data = {"first_name": "Nieuw", "last_name": "Persoon", "preferred_contact": "visit", "consent_method": "verbal",
                "postcode": "3561 ab", "city": "Utrecht", "date_of_birth": "01-01-0001", "phone": "😀😀😀"}  # fmt: skip
        response = self.client.post(reverse("residents:create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Resident.objects.filter(last_name="Persoon").exists())
        for field in ("date_of_birth", "phone"):
            self.assertIn(field, response.context["form"].errors)
        self.assertContains(response, "😀😀😀")  # what was typed stays in the form
