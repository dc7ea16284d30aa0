"""Admin for the staff queue's data (imported at the end of requests_app/admin.py): administrators keep the ready
replies; staff notices and board decisions are records, read only."""

from django.contrib import admin

from requests_app.admin import ReadOnlyMixin
from requests_app.models import BoardDecision, CannedReply, StaffNotice


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title_ar", "department", "request_type", "order", "active"]
    list_filter = ["department", "active"]
    search_fields = ["title_ar", "title_en", "text_ar", "text_en"]
    list_select_related = ["department", "request_type"]
    autocomplete_fields = ["request_type"]


@admin.register(StaffNotice)
class StaffNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["day", "kind", "service_request", "recipient", "read_at", "emailed_at"]
    list_filter = ["kind", "day"]
    list_select_related = ["service_request", "recipient"]


@admin.register(BoardDecision)
class BoardDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "service_request",
        "approved",
        "meeting_reference",
        "meeting_date",
        "recorded_by",
        "on_behalf_of_board",
    ]
    list_filter = ["approved", "on_behalf_of_board"]
    list_select_related = ["service_request", "recorded_by"]
