"""The catalogue, departments, working calendar and questions are kept here by administrators.

Requests are read-only here: their status moves only through the workflow services (staff pages).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from requests_app.models import (
    Attachment,
    Category,
    Department,
    DepartmentMembership,
    FrequentQuestion,
    Holiday,
    Receipt,
    RequestDocument,
    RequestField,
    RequestType,
    ServiceRequest,
    TimelineEvent,
)


class DepartmentMembershipInline(admin.TabularInline):
    model = DepartmentMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code"]
    search_fields = ["name_ar", "name_en", "code"]
    inlines = [DepartmentMembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "order"]
    list_editable = ["order"]


class RequestFieldInline(admin.StackedInline):
    model = RequestField
    extra = 0
    fields = [
        ("key", "field_type", "required", "active", "order"),
        ("label_ar", "label_en"),
        ("help_ar", "help_en"),
        "choices",
    ]


class RequestDocumentInline(admin.TabularInline):
    model = RequestDocument
    extra = 0
    fields = ["name_ar", "name_en", "required", "allowed_types", "order", "active"]


class FrequentQuestionInline(admin.StackedInline):
    model = FrequentQuestion
    extra = 0
    fields = [("question_ar", "question_en"), ("answer_ar", "answer_en"), ("order", "published")]


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "category", "kind", "audience", "department", "sla_days", "active"]
    list_filter = ["category", "kind", "audience", "department", "active", "needs_board_decision"]
    search_fields = ["code", "name_ar", "name_en"]
    inlines = [RequestFieldInline, RequestDocumentInline, FrequentQuestionInline]
    fieldsets = [
        (None, {"fields": [("code", "category", "kind"), ("name_ar", "name_en"), "active", "order"]}),
        (_("Description"), {"fields": [("description_ar", "description_en"), ("outcome_ar", "outcome_en")]}),
        (_("Handling"), {"fields": [("audience", "department"), ("sla_days", "needs_board_decision")]}),
    ]


@admin.register(FrequentQuestion)
class FrequentQuestionAdmin(admin.ModelAdmin):
    list_display = ["question_ar", "request_type", "order", "published"]
    list_filter = ["published", "request_type"]
    search_fields = ["question_ar", "question_en", "answer_ar", "answer_en"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name_ar", "name_en"]
    date_hierarchy = "date"


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note", "visible_to_member"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference_no", "request_type", "member", "status", "submitted_at", "due_date", "department"]
    list_filter = ["status", "department", "channel", "request_type"]
    search_fields = ["reference_no", "member__full_name_ar", "member__membership_no"]
    list_select_related = ["request_type", "member", "department"]
    date_hierarchy = "submitted_at"
    inlines = [TimelineInline]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "service_request", "content_type", "size", "created_at"]
    list_select_related = ["service_request"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["service_request", "kind", "status", "created_at"]
    list_select_related = ["service_request"]


# The staff queue's models (ready replies, staff notices, board decisions) register themselves there.
from requests_app import staff_admin  # noqa: E402, F401
