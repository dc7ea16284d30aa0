"""The staff pages' URLs, under requests/staff/ in the requests_app namespace (included by requests_app/urls.py)."""

from django.urls import path

from requests_app import board_views
from requests_app.desk import queue_views, staff_views

urlpatterns = [
    path("staff/", staff_views.staff_home, name="staff-home"),
    path("staff/notices/read/", staff_views.notices_read, name="staff-notices-read"),
    path("staff/queue/", queue_views.queue_page, name="queue"),
    path("staff/queue/assign/", queue_views.queue_bulk_assign, name="queue-bulk-assign"),
    path("staff/queue/views/", queue_views.saved_view_create, name="queue-view-create"),
    path("staff/queue/views/<int:pk>/delete/", queue_views.saved_view_delete, name="queue-view-delete"),
    path("staff/new/", staff_views.on_behalf_start, name="staff-request-new"),
    path("staff/new/<int:member_pk>/<slug:code>/", staff_views.on_behalf_form, name="staff-request-new-form"),
    path("staff/board/", board_views.board_list, name="board-decisions"),
    path("staff/board/<str:reference_no>/", board_views.board_decision, name="board-decision"),
    path("staff/requests/<str:reference_no>/", staff_views.request_page, name="staff-request"),
    path("staff/requests/<str:reference_no>/take/", queue_views.request_take, name="staff-request-take"),
    path("staff/requests/<str:reference_no>/assign/", staff_views.request_assign, name="staff-request-assign"),
    path("staff/requests/<str:reference_no>/reply/", staff_views.request_reply, name="staff-request-reply"),
    path("staff/requests/<str:reference_no>/note/", staff_views.request_note, name="staff-request-note"),
    path("staff/requests/<str:reference_no>/<slug:action>/", staff_views.request_move, name="staff-request-move"),
]
