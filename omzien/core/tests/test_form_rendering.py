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


# The template the form_field tag replaced, kept here as the reference for its markup.
FIELD_TEMPLATE = """{% load omzien_forms %}
<div class="utrecht-form-field utrecht-form-field--distanced{% if field.errors %} utrecht-form-field--invalid{% endif %}{% if field|is_checkbox %} utrecht-form-field--checkbox{% endif %}">
  {% if field|is_checkbox %}
    <div class="utrecht-form-field__input">{% render_input field %}</div>
    <div class="utrecht-form-field__label"><label class="utrecht-form-label utrecht-form-label--checkbox" for="{{ field.id_for_label }}">{{ field.label }}</label></div>
  {% else %}
    <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="{{ field.id_for_label }}">{{ field.label }}{% if not field.field.required %} <span class="omzien-optional">({{ _("optional") }})</span>{% endif %}</label></div>
  {% endif %}
  {% if field.help_text %}<div class="utrecht-form-field-description utrecht-form-field__description" id="{{ field.auto_id }}_help">{{ field.help_text }}</div>{% endif %}
  {% if field.errors %}<div class="utrecht-form-field-error-message utrecht-form-field__error-message" id="{{ field.auto_id }}_error">{% for error in field.errors %}<p class="utrecht-paragraph">{{ error }}</p>{% endfor %}</div>{% endif %}
  {% if not field|is_checkbox %}<div class="utrecht-form-field__input">{% render_input field %}</div>{% endif %}
</div>"""


class FieldForm(forms.Form):
    name = forms.CharField(label="Naam & <toe>", help_text="Zoals <b>Jan</b>", max_length=5)
    agree = forms.BooleanField(label="Akkoord", required=False, help_text="uitleg")
    pick = forms.ChoiceField(choices=[("a", "A")], required=False)


class FormFieldTagTests(SimpleTestCase):
    def test_the_tag_renders_what_the_template_rendered(self) -> None:
        from django.template import Context, Template

        reference = Template(FIELD_TEMPLATE)
        ours = Template("{% load omzien_forms %}{% form_field field %}")
        for data in ({"name": "toolongvalue", "agree": "on"}, {"name": "ok"}, None):
            form = FieldForm(data)
            form.is_valid()
            for name in ("name", "agree", "pick"):
                context = Context({"field": form[name]})
                self.assertEqual(
                    normalised(ours.render(context)), normalised(reference.render(context)), (data, name)
                )


class GroupForm(forms.Form):
    how = forms.ChoiceField(label="Hoe vaak?", choices=[("w", "Wekelijks"), ("m", "Maandelijks")],
                            widget=forms.RadioSelect, help_text="Kies één")  # fmt: skip
    days = forms.MultipleChoiceField(label="Welke dagen?", choices=[("ma", "Ma"), ("di", "Di")],
                                     widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip


class ChoiceGroupTests(SimpleTestCase):
    """Radio buttons and checkbox groups are a fieldset named by a legend (WCAG 1.3.1), not one label."""

    def render(self, form: forms.Form, name: str) -> str:
        from django.template import Context, Template

        return Template("{% load omzien_forms %}{% form_field field %}").render(
            Context({"field": form[name]})
        )

    def test_a_group_is_a_fieldset_whose_legend_is_the_question(self) -> None:
        for name, question in (("how", "Hoe vaak?"), ("days", "Welke dagen?")):
            html = self.render(GroupForm(), name)
            self.assertRegex(
                html,
                rf'^<fieldset class="utrecht-form-fieldset[^"]*"[^>]*><legend [^>]*>{re.escape(question)}',
            )
            self.assertNotIn(
                '<label class="utrecht-form-label" for=', html
            )  # no label naming only the first option
            self.assertEqual(html.count("<fieldset"), 1)
        self.assertIn("omzien-optional", self.render(GroupForm(), "days"))
        self.assertNotIn("omzien-optional", self.render(GroupForm(), "how"))

    def test_help_and_errors_are_tied_to_the_fieldset(self) -> None:
        form = GroupForm({"how": "x"})
        form.is_valid()
        html = self.render(form, "how")
        fieldset = re.match(r"<fieldset[^>]*>", html)
        assert fieldset is not None
        self.assertIn('aria-describedby="id_how_help id_how_error"', fieldset.group(0))
        self.assertIn("utrecht-form-fieldset--invalid", fieldset.group(0))
        self.assertIn('id="id_how_error"', html)
        self.assertIn('id="id_how_help"', html)
