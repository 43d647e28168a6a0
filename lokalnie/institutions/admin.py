from django.contrib import admin

from lokalnie.institutions.models import AreaOfWork, Institution, Invitation, Membership, TerytUnit


@admin.register(TerytUnit)
class TerytUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name", "search_name"]

    # The register is changed only by the import_teryt command (audited).
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AreaOfWork)
class AreaOfWorkAdmin(admin.ModelAdmin):
    list_display = ["name_pl", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "gmina", "nip"]
    list_filter = ["kind"]
    search_fields = ["name", "nip", "regon", "krs"]
    raw_id_fields = ["gmina"]
    readonly_fields = [f.name for f in Institution._meta.fields] + ["areas"]

    # Changes go through the institution pages and services (validated and audited).
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["institution", "user", "role"]
    list_filter = ["role"]
    search_fields = ["institution__name", "user__email"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(MembershipAdmin):
    list_display = ["institution", "email", "role", "status", "expires_at"]
    list_filter = ["status"]
    search_fields = ["institution__name", "email"]
    exclude = ["token"]
