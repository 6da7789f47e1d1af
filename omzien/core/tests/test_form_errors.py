# SPDX-License-Identifier: EUPL-1.2
"""Every form's error summary (includes/form_errors.html): each message linked to its field, focused by errors.js."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from omzien.lib.forms import PlainMessages


class _Form(forms.Form):
    postcode = forms.CharField(label="Postcode")
    consent = forms.BooleanField(label="Ik geef toestemming.")
    days = forms.MultipleChoiceField(label="Welke dagen?", choices=[("ma", "ma"), ("di", "di")],
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("Het formulier als geheel klopt niet.")


class FormErrorsTests(SimpleTestCase):
    def test_each_message_links_to_its_field_and_the_form_s_own_message_comes_first(self) -> None:
        with translation.override("nl"):
            html = render_to_string("includes/form_errors.html", {"form": _Form(data={})})
        self.assertIn('data-testid="error-summary"', html)
        self.assertIn('tabindex="-1"', html)  # errors.js can give it the focus
        self.assertIn("Niet alles is goed ingevuld:", html)
        self.assertIn('<a class="utrecht-link" href="#id_postcode">Postcode:', html)
        self.assertIn('href="#id_days_0">Welke dagen? ', html)  # a group: its first box; no colon after a "?"
        self.assertIn('href="#id_consent">Ik geef toestemming. ', html)  # nor after a full stop
        self.assertLess(html.index("Het formulier als geheel"), html.index("#id_postcode"))

    def test_a_form_without_errors_shows_nothing(self) -> None:
        self.assertEqual(render_to_string("includes/form_errors.html", {"form": _Form()}).strip(), "")


class FocusScriptTests(TestCase):
    def test_every_page_loads_the_script_that_focuses_it(self) -> None:
        self.assertIn("omzien/errors.js", self.client.get("/").content.decode())


class PlainMessagesEverywhereTests(SimpleTestCase):
    def test_every_form_of_ours_says_what_to_do_in_plain_words(self) -> None:
        # One home for the messages (lib.forms.PlainMessages): "Vul dit in." where Django says "Dit veld is vereist.".
        import importlib
        from pathlib import Path

        import omzien

        root = Path(omzien.__file__).parent
        found, plain = [], []
        for path in root.rglob("forms.py"):
            if "tests" in path.parts:
                continue
            module = importlib.import_module("omzien." + ".".join(path.relative_to(root).with_suffix("").parts))
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found.append(value.__qualname__)
                    if issubclass(value, PlainMessages):
                        plain.append(value.__qualname__)
        self.assertGreater(len(found), 60)
        self.assertEqual(sorted(set(found) - set(plain)), [])
        with translation.override("nl"):
            self.assertEqual(_Plain(data={}).errors["postcode"], ["Vul dit in."])


class _Plain(PlainMessages, forms.Form):
    postcode = forms.CharField(label="Postcode")
