from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lokalnie.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    readonly_fields = ["role", "granted_at", "granted_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Roles change only through accounts.services (audited): use the
        # `manage.py grant_role` command.
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "preferred_language", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Privacy"), {"fields": ("privacy_notice_version", "privacy_notice_accepted_at")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = [
        "privacy_notice_version",
        "privacy_notice_accepted_at",
        "last_login",
        "date_joined",
    ]
