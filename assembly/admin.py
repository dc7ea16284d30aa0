from django.contrib import admin

from assembly.models import AgendaItem, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read only: the board drafts and publishes in the portal, where the law's rules are checked."""

    list_display = ["starts_at", "kind", "status", "record_date"]
    list_filter = ["status", "kind"]
    inlines = [AgendaItemInline]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
