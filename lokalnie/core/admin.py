from django.contrib import admin

from lokalnie.core.models import AuditEntry, OutboundEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff, changeable by nobody — not even a superuser."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_label", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_label", "object_label", "reason", "object_id"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject", "key"]
