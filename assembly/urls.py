from django.urls import path

from assembly import proxy_views, views

app_name = "assembly"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/items/<int:item_pk>/delete/", views.agenda_item_delete, name="agenda-item-delete"),
    path("meetings/<int:pk>/publish/", views.meeting_publish, name="meeting-publish"),
    path("meetings/<int:pk>/delivery/", views.meeting_delivery, name="meeting-delivery"),
    path("<int:pk>/", views.meeting_member, name="meeting-member"),
    path("<int:pk>/proxy/", proxy_views.proxy_appoint, name="proxy-appoint"),
    path("<int:pk>/proxy/<int:proxy_pk>/answer/", proxy_views.proxy_answer, name="proxy-answer"),
    path("<int:pk>/proxy/<int:proxy_pk>/revoke/", proxy_views.proxy_revoke, name="proxy-revoke"),
]
