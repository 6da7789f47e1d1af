# SPDX-License-Identifier: EUPL-1.2
"""Render Django form fields with the Utrecht component classes and ARIA links to help and errors."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

INPUT_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button",
}


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
    return field.as_widget(attrs=attrs)
