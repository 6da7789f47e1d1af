# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts.models import Organisation, RoleGrantRequest, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["neighbourhoods"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The buurten to choose from, without their outlines (111 GeoJSON polygons decoded per page).
        if db_field.name == "neighbourhoods":
            kwargs["queryset"] = db_field.related_model.objects.defer("boundary")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.action(description=_("End all sessions of the selected users"))
def end_sessions(modeladmin: admin.ModelAdmin, request: object, queryset: object) -> None:
    from omzien.accounts.services import user_sessions_end
    from omzien.audit.events import actor_for_request

    for user in queryset:  # type: ignore[attr-defined]
        user_sessions_end(user=user, actor=actor_for_request(request))


def _without_user_permissions(fieldsets: Any) -> tuple[Any, ...]:
    # What an account may do comes from its roles (groups) only: a permission given to one account
    # directly would bypass the four eyes on roles that see residents.
    return tuple(
        (name, {**options, "fields": tuple(f for f in options["fields"] if f != "user_permissions")})
        for name, options in fieldsets
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = [end_sessions]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["is_active", "groups", "organisation"]
    fieldsets = (
        *_without_user_permissions(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and organisation"), {"fields": ("organisation", "groups")}),
    )

    def _privileged_change(self, obj: User | None, form: Any) -> Any:
        from omzien.accounts.services import privileged_change

        data = form.cleaned_data
        current = User.objects.get(pk=obj.pk) if obj is not None and obj.pk else None
        roles = {group.name for group in data["groups"]} if "groups" in data else (
            set(current.groups.values_list("name", flat=True)) if current else set())  # fmt: skip
        organisation = data.get("organisation", current.organisation if current else None)
        superuser = data.get("is_superuser", bool(current and current.is_superuser))
        return privileged_change(user=current, roles_new=roles, organisation_new=organisation, superuser_new=superuser)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        admin_self = self

        class NoSelfPromotion(base):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                cleaned = super().clean()
                if obj is not None and obj.pk == request.user.pk and admin_self._privileged_change(obj, self):
                    raise ValidationError(
                        _("You cannot give yourself a role that sees residents, another organisation or superuser "
                          "status. Ask another administrator.")
                    )  # fmt: skip
                return cleaned

        return NoSelfPromotion

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        from omzien.accounts.services import role_grant_request
        from omzien.audit.events import actor_for_request

        wanted = self._privileged_change(obj if change else None, form)
        if wanted:
            # The privileged part waits for a second administrator; the rest of the edit is saved now.
            current = User.objects.get(pk=obj.pk) if change else None
            if "groups" in form.cleaned_data:
                form.cleaned_data["groups"] = [g for g in form.cleaned_data["groups"] if g.name not in wanted.add_roles]
            if wanted.change_organisation and current is not None:
                obj.organisation = current.organisation
            if wanted.make_superuser:
                obj.is_superuser = False
        super().save_model(request, obj, form, change)
        if wanted:
            role_grant_request(user=obj, change=wanted, requested_by=request.user, actor=actor_for_request(request))
            self.message_user(
                request,
                _("The change of role, organisation or superuser status waits for a second administrator to confirm it."),
                messages.WARNING,
            )


@admin.action(description=_("Confirm the selected changes (as the second administrator)"))
def confirm_grants(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    _decide(modeladmin, request, queryset, confirm=True)


@admin.action(description=_("Refuse the selected changes"))
def reject_grants(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    _decide(modeladmin, request, queryset, confirm=False)


def _decide(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any, *, confirm: bool) -> None:
    from omzien.accounts.services import role_grant_confirm, role_grant_reject
    from omzien.audit.events import actor_for_request

    decide = role_grant_confirm if confirm else role_grant_reject
    for grant in queryset:
        try:
            decide(grant=grant, by=request.user, actor=actor_for_request(request))  # type: ignore[arg-type]
        except (PermissionDenied, ValidationError) as refused:
            text = refused.messages[0] if isinstance(refused, ValidationError) else str(refused)
            modeladmin.message_user(request, f"{grant.user}: {text}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{grant.user}: {grant.summary()}", messages.SUCCESS)


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(admin.ModelAdmin):
    """The second administrator's screen: privileged changes waiting for confirmation."""

    actions = [confirm_grants, reject_grants]
    list_display = ["user", "summary", "requested_by", "requested_at", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    fields = ("user", "add_roles", "change_organisation", "organisation", "make_superuser", "remove_second_factor",
              "requested_by", "requested_at", "status", "decided_by", "decided_at")  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("change"))
    def summary(self, obj: RoleGrantRequest) -> str:
        return obj.summary()

    def has_add_permission(self, request: Any) -> bool:
        return False  # asked for by editing an account

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # the record of who asked and who decided stays


@admin.action(description=_("Ask to remove the second factor of these accounts (a second administrator confirms)"))
def ask_second_factor_removal(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    from omzien.accounts.services import PrivilegedChange, role_grant_request
    from omzien.audit.events import actor_for_request

    for user in User.objects.filter(pk__in=queryset.values("user")):
        if user.pk == request.user.pk:
            modeladmin.message_user(
                request, _("Your own authenticator app is replaced on your own second-factor page."), messages.ERROR
            )
            continue
        try:
            role_grant_request(user=user, change=PrivilegedChange(remove_second_factor=True),
                               requested_by=request.user, actor=actor_for_request(request))  # type: ignore[arg-type]  # fmt: skip
        except PermissionDenied as refused:
            modeladmin.message_user(request, f"{user}: {refused}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, _("%(account)s: the removal waits for a second administrator to confirm it.") % {"account": user},
                messages.WARNING,
            )  # fmt: skip


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Lists authenticator apps so an administrator can have a lost one removed; never shows the key.

    Removing one is asked for here and done when a second administrator confirms it (role grants
    waiting for confirmation): with a password set in the admin and the app removed, one
    administrator could otherwise log in as a professional."""

    actions = [ask_second_factor_removal]
    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False  # a device is linked by its owner, who scans the code themselves
