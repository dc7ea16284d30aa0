"""Administration of accounts and member records. Administrators read the access log here; it cannot be edited.

Opening a member's record in the admin is itself written to the access log, like the staff member page.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from members import services
from members.models import AccessLog, CorrectionRequest, Member, MemberImport, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "email", "phone", "first_name", "is_active", "last_login")
    search_fields = ("username", "email", "phone", "first_name", "last_name")
    fieldsets = (
        *UserAdmin.fieldsets[:1],
        (_("Mobile"), {"fields": ("phone", "phone_verified")}),
        *UserAdmin.fieldsets[1:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "phone", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("membership_no", "full_name_ar", "national_id", "mobile", "governorate", "shares", "status")
    list_filter = ("status", "governorate", "language")
    search_fields = ("membership_no", "national_id", "mobile", "name_search", "full_name_ar")
    raw_id_fields = ("user",)
    readonly_fields = ("name_search", "created_at", "updated_at")
    list_select_related = ("user",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and object_id and getattr(response, "status_code", 200) == 200:
            member = Member.objects.filter(pk=object_id).first()
            if member is not None:
                services.record_viewed(viewer=request.user, member=member, detail="admin")
        return response

    def save_model(self, request, obj, form, change):
        # Through the services, so the share cap, name_search and the account's mobile stay right.
        if change:
            changes = {
                name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_BY_STAFF
            }
            updated = services.update_member(member=obj, by=request.user, changes=changes)
            other = [name for name in form.changed_data if name not in services.EDITABLE_BY_STAFF]
            for name in other:  # preferences, the linked account: no rule beyond the field's own
                setattr(updated, name, form.cleaned_data[name])
            if other:
                updated.save(update_fields=[*other, "updated_at"])
        else:
            fields = dict(form.cleaned_data)
            created = services.create_member(by=request.user, **fields)
            obj.pk = created.pk


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: who opened or changed whose record, when, and what."""

    list_display = ("at", "viewer", "member", "action", "detail")
    list_filter = ("action", ("at", admin.DateFieldListFilter))
    search_fields = ("viewer__username", "viewer__email", "member__membership_no", "member__full_name_ar")
    list_select_related = ("viewer", "member")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ("created_at", "member", "field", "requested_value", "status", "handled_by")
    list_filter = ("status", "field")
    search_fields = ("member__membership_no", "member__full_name_ar")
    list_select_related = ("member", "handled_by")
    readonly_fields = ("member", "field", "current_value", "requested_value", "reason", "created_at")


@admin.register(MemberImport)
class MemberImportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "original_name", "uploaded_by", "status", "total_rows", "new_rows", "updated_rows")
    list_filter = ("status",)
    list_select_related = ("uploaded_by",)
    readonly_fields = [field.name for field in MemberImport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
