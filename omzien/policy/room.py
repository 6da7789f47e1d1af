# SPDX-License-Identifier: EUPL-1.2
"""The policy store's own declarations: the policy every page and every published figure shares."""

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl, Room

# Who residents can call. The sentences around them are in the templates (translated); the names and
# numbers are the municipality's to keep current. Shown by omzien/templates/helplines.html.
HELPLINES_DEFAULT = {
    "talk": {"name": "De Luisterlijn", "numbers": ["088-0767 000"]},
    "suicide": {"name": "113 Zelfmoordpreventie", "numbers": ["113", "0800-0113"]},
    "home_violence": {"name": "Veilig Thuis", "numbers": ["0800-2000"]},
    "emergency": {"name": "112", "numbers": ["112"]},
}

ROOM = Room(
    label="policy",
    permissions={
        "administrator": ("policy.view_policy", "policy.change_policy"),
    },
    policies=(
        PolicyDecl(
            key="publication.min_cell_size",
            label=_("Smallest count published"),
            kind="int",
            default=10,
            help_text=_(
                "Any aggregate (monitor, council figures, counts per wijk) hides a count below this, and "
                "what would let one work it out."
            ),
        ),
        PolicyDecl(
            key="helplines",
            label=_("Helplines shown to residents"),
            kind="json",
            default=HELPLINES_DEFAULT,
            help_text=_(
                "Per purpose (talk: someone to talk to day and night; suicide; home_violence; emergency) the "
                "name and the phone numbers shown on every page that lists helplines."
            ),
        ),
    ),
)
