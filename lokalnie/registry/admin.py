"""Read-only admin views: every change goes through the services (and the audit log), from
the platform's own pages."""

from django.contrib import admin

from lokalnie.registry.models import Certificate, CertificateEvent, Investigation, ResponsiblePerson


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = CertificateEvent
    fk_name = "certificate"
    fields = ["kind", "at", "by_label", "from_status", "to_status", "reasons"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "institution_name", "area", "status", "issued_on", "valid_until"]
    list_filter = ["status", "area", "year"]
    search_fields = ["number", "institution_name", "search_text"]
    list_select_related = ["area"]
    inlines = [EventInline]


@admin.register(Investigation)
class InvestigationAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "status", "opened_at", "decision", "decided_at"]
    list_filter = ["status", "decision"]
    list_select_related = ["certificate"]


@admin.register(ResponsiblePerson)
class ResponsiblePersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "function_pl", "from_date"]
