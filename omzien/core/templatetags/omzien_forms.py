# SPDX-License-Identifier: EUPL-1.2
"""Render Django form fields with the Utrecht component classes and ARIA links to help and errors."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

INPUT_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


def _optional(field: Any) -> str:
    """The label's note on a field that may stay empty: "(optional)", or the field's own ``optional_note``
    when it is needed in some cases ("needed if you want us to contact you"); none on a required field."""
    if field.field.required:
        return ""
    note = getattr(field.field, "optional_note", None)
    return format_html(
        ' <span class="omzien-optional">({})</span>', note if note is not None else gettext("optional")
    )


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def render_input(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    classes = next(
        (css for kind, css in INPUT_CLASSES.items() if isinstance(widget, kind)),
        "utrecht-textbox utrecht-textbox--html-input",
    )
    attrs: dict[str, str | bool] = {"class": classes + (" utrecht-textbox--invalid" if field.errors else "")}
    described_by = [f"{field.auto_id}_help"] if field.help_text else []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if type(widget) is forms.Select:
        return _select(field, attrs)
    return field.as_widget(attrs=attrs)


def _select(field: forms.BoundField, attrs: dict[str, str | bool]) -> SafeString:
    """A plain <select>, built directly: Django renders every option through a template, which made a
    search page with a few long selects spend most of its time here (benchmarks/bench_directory.py).
    The markup equals Django's (flat choices only; option groups go through Django's own widget)."""
    widget = field.field.widget
    built = field.build_widget_attrs({**attrs, "id": field.auto_id})
    context = widget.get_context(field.html_name, field.value(), {**widget.attrs, **built})
    groups = context["widget"]["optgroups"]
    if any(name for name, _options, _index in groups):
        return field.as_widget(attrs=attrs)
    options = [option for _name, group, _index in groups for option in group]
    return format_html(
        '<select name="{}"{}>{}</select>',
        field.html_name,
        flatatt({k: v for k, v in context["widget"]["attrs"].items() if v is not False}),
        format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((option["value"], mark_safe(" selected") if option["selected"] else "", option["label"]) for option in options),  # noqa: S308 - a constant
        ),
    )  # fmt: skip


@register.simple_tag
def form_field(field: forms.BoundField) -> SafeString:
    """One form field in the Utrecht style: label, help and errors tied to the input for screen readers.

    Built in Python (it was includes/field.html): a search page renders a dozen of these per request.
    """
    if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return _choice_group(field)
    checkbox = is_checkbox(field)
    classes = "utrecht-form-field utrecht-form-field--distanced"
    classes += " utrecht-form-field--invalid" if field.errors else ""
    classes += " utrecht-form-field--checkbox" if checkbox else ""
    input_html = format_html('<div class="utrecht-form-field__input">{}</div>', render_input(field))
    if checkbox:
        label = format_html(
            '<div class="utrecht-form-field__label"><label class="utrecht-form-label utrecht-form-label--checkbox" '
            'for="{}">{}</label></div>', field.id_for_label, field.label,
        )  # fmt: skip
    else:
        optional = _optional(field)
        label = format_html('<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="{}">{}{}</label></div>',
                            field.id_for_label, field.label, optional)  # fmt: skip
    help_html, errors_html = _help(field), _errors(field)
    parts = [label, help_html, errors_html] if not checkbox else [input_html, label, help_html, errors_html]
    if not checkbox:
        parts.append(input_html)
    return format_html('<div class="{}">{}</div>', classes, mark_safe("".join(str(p) for p in parts)))  # noqa: S308 - escaped parts


def _help(field: forms.BoundField) -> SafeString | str:
    if not field.help_text:
        return ""
    return format_html('<div class="utrecht-form-field-description utrecht-form-field__description" id="{}_help">{}</div>',
                       field.auto_id, field.help_text)  # fmt: skip


def _errors(field: forms.BoundField) -> SafeString | str:
    if not field.errors:
        return ""
    return format_html('<div class="utrecht-form-field-error-message utrecht-form-field__error-message" id="{}_error">{}</div>',
                       field.auto_id, format_html_join("", '<p class="utrecht-paragraph">{}</p>', ((e,) for e in field.errors)))  # fmt: skip


def _choice_group(field: forms.BoundField) -> SafeString:
    """Radio buttons or checkboxes as a fieldset whose legend is the question (WCAG 1.3.1, 3.3.2).

    A <label for> would name only the first option; the legend names the group, and the help and
    errors are tied to the fieldset, which screen readers announce on entering the group.
    """
    described_by = [f"{field.auto_id}_help"] if field.help_text else []
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    classes = "utrecht-form-fieldset utrecht-form-fieldset--html-fieldset utrecht-form-fieldset--distanced"
    classes += " utrecht-form-fieldset--invalid" if field.errors else ""
    optional = _optional(field)
    return format_html(
        '<fieldset class="{}"{}><legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{}{}</legend>'
        '{}{}<div class="utrecht-form-field__input">{}</div></fieldset>',
        classes, mark_safe(f' aria-describedby="{" ".join(described_by)}"') if described_by else "",  # noqa: S308 - ids
        field.label, optional, _help(field), _errors(field), render_input(field),
    )  # fmt: skip
