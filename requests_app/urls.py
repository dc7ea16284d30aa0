from django.urls import path

from requests_app import draft_views, views
from requests_app.desk import staff_urls

app_name = "requests_app"

urlpatterns = [
    path("", views.my_requests, name="request-list"),
    path("guide/", views.guide, name="guide"),
    path("guide/<slug:code>/", views.guide_service, name="guide-service"),
    path("new/<slug:code>/", views.request_submit, name="request-submit"),
    path("drafts/", draft_views.draft_list, name="draft-list"),
    path("drafts/<uuid:token>/delete/", draft_views.draft_delete, name="draft-delete"),
    path("files/<uuid:public_id>/", views.attachment_download, name="attachment-download"),
    path("receipts/<uuid:public_id>/", views.receipt_download, name="receipt-download"),
    path("verify/<str:token>/", views.receipt_verify, name="receipt-verify"),
    *staff_urls.urlpatterns,  # staff/…: before the catch-all reference number below
    path("<str:reference_no>/", views.request_detail, name="request-detail"),
    path("<str:reference_no>/message/", views.request_message, name="request-message"),
    path("<str:reference_no>/resubmit/", views.request_resubmit, name="request-resubmit"),
    path("<str:reference_no>/cancel/", views.request_cancel, name="request-cancel"),
]
