# SPDX-License-Identifier: EUPL-1.2
"""The fast <select> renders what Django's own widget renders: same options, escaping, selection, attributes."""

from __future__ import annotations

import re

from django import forms
from django.test import SimpleTestCase

from omzien.core.templatetags.omzien_forms import render_input


class ExampleForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "—"), ("1", "één & twee"), ("2", "<b>x</b>")], help_text="uitleg"
    )
    grouped = forms.ChoiceField(choices=[("Groep", [("a", "A")])], required=False)


ATTRIBUTE = re.compile(r'[\w-]+(?:="[^"]*")?')


def normalised(html: str) -> list[str]:
    """The tags and texts, with attributes sorted, so only the markup's meaning is compared."""
    parts = []
    for tag in re.findall(r"<[^>]+>|[^<]+", html):
        tag = tag.strip()
        if not tag:
            continue
        if tag.startswith("<") and " " in tag:
            name, rest = tag[1:-1].split(" ", 1)
            attributes = sorted(ATTRIBUTE.findall(rest))
            parts.append(f"<{name} {' '.join(attributes)}>")
        else:
            parts.append(tag)
    return parts


class FastSelectTests(SimpleTestCase):
    def test_the_fast_select_equals_djangos(self) -> None:
        for data in ({"choice": "1"}, {"choice": "9"}, {}):
            form = ExampleForm(data)
            form.is_valid()
            ours = render_input(form["choice"])
            attrs = {
                "class": "utrecht-select utrecht-select--html-select",
                "aria-describedby": "id_choice_help",
            }
            if form["choice"].errors:
                attrs["class"] += " utrecht-textbox--invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] += " id_choice_error"
            djangos = form["choice"].as_widget(attrs=attrs)
            self.assertEqual(normalised(ours), normalised(djangos), data)
        self.assertIn("&lt;b&gt;", render_input(ExampleForm()["choice"]))
        self.assertIn("required", render_input(ExampleForm()["choice"]))

    def test_option_groups_still_go_through_django(self) -> None:
        self.assertIn("<optgroup", render_input(ExampleForm()["grouped"]))
