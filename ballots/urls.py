from django.urls import path

from ballots import nomination_views, officer_views, paper_views, views

app_name = "ballots"

urlpatterns = [
    path("<int:pk>/", views.meeting_ballots, name="meeting-ballots"),
    path("<int:pk>/results/", views.meeting_record, name="meeting-record"),
    path("<int:pk>/results.json", views.meeting_record_json, name="meeting-record-json"),
    path("slots/<int:pk>/", views.slot_ballot, name="slot-ballot"),
    path("slots/<int:pk>/open/", views.slot_open, name="slot-open"),
    path("slots/<int:pk>/cast/", views.slot_cast, name="slot-cast"),
    path("<int:pk>/questions/", officer_views.meeting_questions, name="meeting-questions"),
    path("questions/<int:pk>/open/", officer_views.question_open, name="question-open"),
    path("questions/<int:pk>/close/", officer_views.question_close, name="question-close"),
    path("<int:pk>/paper/", paper_views.meeting_paper, name="meeting-paper"),
    path("questions/<int:pk>/paper/", paper_views.paper_enter, name="paper-enter"),
    path("<int:pk>/door-list/", paper_views.door_list, name="door-list"),
    path("nominations/", nomination_views.my_nominations, name="my-nominations"),
    path("<int:pk>/nominations/", nomination_views.meeting_nominations, name="meeting-nominations"),
    path("nominations/<int:pk>/disqualify/", nomination_views.nomination_disqualify, name="nomination-disqualify"),
]
