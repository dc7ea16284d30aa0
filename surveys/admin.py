"""Administrators keep questionnaires here, and read responses and suggestions.

Deliberately absent: invitations (they name members; linking them to responses is what the design
forbids), staff tallies (staff read their own page) and the monthly general-rating marks. Responses are
read-only, without search, sorted by their random id, and show ratings and comments without the slices.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from surveys import services
from surveys.models import AdoptedSuggestion, Questionnaire, QuestionnaireVersion, Response, Suggestion


class OfferedFiltersOnly(admin.ModelAdmin):
    """Accept in the URL only the filters the list offers (Django accepts any lookup on the model's own fields,
    so `?governorate=…&channel=…` would narrow anonymous answers by the very slices the list hides: a 400)."""

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        offered = {name if isinstance(name, str) else name[0] for name in self.list_filter}
        if self.date_hierarchy:
            offered.add(self.date_hierarchy)
        field = lookup.split("__", 1)[0]
        suffixes = ("", "__exact", "__id__exact", "__isnull", "__gte", "__lt")  # what the list's own filters send
        return field in offered and lookup in {field + suffix for suffix in suffixes}


class QuestionnaireVersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ["number", "published_at"]
    readonly_fields = ["number", "published_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(OfferedFiltersOnly):
    list_display = ["name", "code", "request_type", "is_default", "active"]
    list_filter = ["active", "is_default"]
    autocomplete_fields = ["request_type"]
    inlines = [QuestionnaireVersionInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "request_type", "is_default", "active"]}),
        (
            _("Questions (saving a change publishes a new version; answers keep the version they answered)"),
            {
                "fields": [
                    ("intro_ar", "intro_en"),
                    ("overall_ar", "overall_en"),
                    ("ask_speed", "ask_clarity", "ask_courtesy", "ask_ease"),
                    ("recommend_ar", "recommend_en"),
                    ("comment_ar", "comment_en"),
                ]
            },
        ),
    ]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.publish_version(questionnaire=form.instance)


@admin.register(Response)
class ResponseAdmin(OfferedFiltersOnly):
    """Anonymous answers, read-only: ratings, comment, month and questionnaire version.

    Deliberately without service, department, governorate, channel or outcome: filtered together they
    narrow to slices of one or two answers that the (equally visible) requests could name. Slices are
    the board reports' business, which hide any with fewer than 5 answers.
    """

    list_display = ["month", "source", "questionnaire_version", "overall", "recommend", "comment"]
    # Not by questionnaire version: a service with a questionnaire of its own would narrow the list to it.
    list_filter = ["source"]
    fields = [
        "source",
        "questionnaire_version",
        "month",
        ("overall", "speed", "clarity", "courtesy", "ease", "recommend"),
        "comment",
    ]
    readonly_fields = [
        "source",
        "questionnaire_version",
        "month",
        "overall",
        "speed",
        "clarity",
        "courtesy",
        "ease",
        "recommend",
        "comment",
    ]
    ordering = ["id"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(OfferedFiltersOnly):
    list_display = ["__str__", "month", "status", "service_request"]
    list_filter = ["status", "month"]
    fields = ["text", "month", "service_request", "status"]
    readonly_fields = ["text", "month", "service_request"]
    ordering = ["-month", "id"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AdoptedSuggestion)
class AdoptedSuggestionAdmin(OfferedFiltersOnly):
    list_display = ["title_ar", "adopted_on", "published"]
    list_filter = ["published"]
    fields = [("title_ar", "title_en"), ("body_ar", "body_en"), "adopted_on", "published"]
