from django.urls import path

from assembly import conduct_views, document_views, door_views, proxy_views, views

app_name = "assembly"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/items/<int:item_pk>/delete/", views.agenda_item_delete, name="agenda-item-delete"),
    path("meetings/<int:pk>/publish/", views.meeting_publish, name="meeting-publish"),
    path("meetings/<int:pk>/delivery/", views.meeting_delivery, name="meeting-delivery"),
    path("meetings/<int:pk>/door/", door_views.door_desk, name="door-desk"),
    path("meetings/<int:pk>/door/search/", door_views.door_search, name="door-search"),
    path("meetings/<int:pk>/door/register/", door_views.door_register, name="door-register"),
    path("meetings/<int:pk>/quorum/", door_views.meeting_quorum, name="meeting-quorum"),
    path("meetings/<int:pk>/adjourn/", door_views.meeting_adjourn, name="meeting-adjourn"),
    path("<int:pk>/pass/", door_views.meeting_pass, name="meeting-pass"),
    path("meetings/<int:pk>/conduct/", conduct_views.meeting_conduct, name="meeting-conduct"),
    path("meetings/<int:pk>/chair/", conduct_views.chair_elect, name="meeting-chair"),
    path("meetings/<int:pk>/items/<int:item_pk>/counts/", conduct_views.counts_enter, name="item-counts"),
    path("meetings/<int:pk>/close/", conduct_views.meeting_close, name="meeting-close"),
    path("meetings/<int:pk>/documents/", document_views.meeting_documents, name="meeting-documents"),
    path("meetings/<int:pk>/documents/publish/", document_views.documents_publish, name="documents-publish"),
    path("meetings/<int:pk>/documents/<int:doc_pk>/remove/", document_views.document_remove, name="document-remove"),
    path("<int:pk>/", views.meeting_member, name="meeting-member"),
    path("<int:pk>/documents/<int:doc_pk>/", document_views.document_file, name="document-file"),
    path("<int:pk>/minutes/", conduct_views.minutes_download, name="meeting-minutes"),
    path("<int:pk>/minutes/approve/", conduct_views.minutes_approve, name="minutes-approve"),
    path("<int:pk>/proxy/", proxy_views.proxy_appoint, name="proxy-appoint"),
    path("<int:pk>/proxy/<int:proxy_pk>/code/", proxy_views.proxy_code, name="proxy-code"),
    path("<int:pk>/proxy/<int:proxy_pk>/accept/", proxy_views.proxy_accept, name="proxy-accept"),
    path("<int:pk>/proxy/<int:proxy_pk>/decline/", proxy_views.proxy_decline, name="proxy-decline"),
    path("<int:pk>/proxy/<int:proxy_pk>/revoke/", proxy_views.proxy_revoke, name="proxy-revoke"),
]
