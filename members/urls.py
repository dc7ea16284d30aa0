from django.urls import path

from members import entrance_views, export_views, member_views, outbox_views, privacy_views, staff_views

app_name = "members"

urlpatterns = [
    # Getting in
    path("activate/", entrance_views.activate, name="activate"),
    path("activate/code/", entrance_views.activate_code, name="activate-code"),
    path("activate/password/", entrance_views.activate_password, name="activate-password"),
    path("register/", entrance_views.register, name="register"),
    path("register/code/", entrance_views.register_code, name="register-code"),
    path("register/password/", entrance_views.register_password, name="register-password"),
    path("password/forgot/", entrance_views.password_forgot, name="password-forgot"),
    path("password/code/", entrance_views.password_code, name="password-code"),
    path("password/new/", entrance_views.password_new, name="password-new"),
    # The member's own pages
    path("me/", member_views.profile, name="profile"),
    path("me/preferences/", member_views.preferences, name="preferences"),
    path("me/correction/", member_views.correction_new, name="correction-new"),
    path("me/data.json", member_views.export_json, name="export-json"),
    path("me/data-export/", export_views.data_export, name="data-export"),
    path("me/data-export/<uuid:public_id>.pdf", export_views.data_export_download, name="data-export-download"),
    # Staff
    path("directory/", staff_views.directory, name="directory"),
    path("directory/<int:pk>/", staff_views.member_detail, name="member-detail"),
    path("access-log/", privacy_views.access_log, name="access-log"),
    path("corrections/", staff_views.correction_list, name="correction-list"),
    path("corrections/<int:pk>/decide/", staff_views.correction_decide, name="correction-decide"),
    path("import/", staff_views.import_upload, name="import-upload"),
    path("import/<int:pk>/", staff_views.import_preview, name="import-preview"),
    path("import/<int:pk>/commit/", staff_views.import_commit, name="import-commit"),
    # The member's inbox, announcements, the outbox (members/outbox_views.py)
    path("inbox/", outbox_views.inbox, name="inbox"),
    path("inbox/read-all/", outbox_views.inbox_mark_all_read, name="inbox-read-all"),
    path("inbox/<int:pk>/read/", outbox_views.inbox_mark_read, name="inbox-read"),
    path("announcements/", outbox_views.announcement_list, name="announcement-list"),
    path("announcements/new/", outbox_views.announcement_create, name="announcement-create"),
    path("announcements/<int:pk>/", outbox_views.announcement_detail, name="announcement-detail"),
    path("announcements/<int:pk>/report/", outbox_views.announcement_report, name="announcement-report"),
    path("outbox/", outbox_views.outbox_list, name="outbox-list"),
    path("outbox/<int:pk>/retry/", outbox_views.outbox_retry, name="outbox-retry"),
    path("outbox/<int:pk>/confirm-sent/", outbox_views.outbox_confirm_sent, name="outbox-confirm-sent"),
    path("outbox/test-message/", outbox_views.outbox_test_message, name="outbox-test-message"),
]
