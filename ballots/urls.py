from django.urls import path

from ballots import views

app_name = "ballots"

urlpatterns = [
    path("<int:pk>/", views.meeting_ballots, name="meeting-ballots"),
    path("<int:pk>/results/", views.meeting_record, name="meeting-record"),
    path("slots/<int:pk>/", views.slot_ballot, name="slot-ballot"),
    path("slots/<int:pk>/open/", views.slot_open, name="slot-open"),
    path("slots/<int:pk>/cast/", views.slot_cast, name="slot-cast"),
]
