from django.urls import path

from surveys import views
from surveys.reports import views as report_views

app_name = "surveys"

urlpatterns = [
    path("s/<str:token>/", views.survey_answer, name="survey-answer"),
    path("rate/<str:reference_no>/", views.rate_request, name="request-rate"),
    path("contact/", views.contact_accept, name="contact-accept"),
    path("suggestions/new/", views.suggestion_create, name="suggestion-create"),
    path("suggestions/", views.suggestion_list, name="suggestion-list"),
    path("suggestions/<uuid:pk>/adopt/", views.suggestion_adopt, name="suggestion-adopt"),
    path("you-suggested-we-did/", views.adopted_list, name="adopted-list"),
    path("my-results/", views.my_results, name="my-results"),
    # The board's reports (surveys/reports/views.py).
    path("board/", report_views.board_dashboard, name="board-dashboard"),
    path("board/report.pdf", report_views.board_pdf, name="board-pdf"),
    path("board/report.csv", report_views.board_csv, name="board-csv"),
    path("board/quarterly/", report_views.quarterly_reports, name="quarterly-reports"),
    path("board/quarterly/<uuid:public_id>/", report_views.quarterly_report_download, name="quarterly-report-download"),
    path("department-report/", report_views.department_dashboard, name="department-report"),
    path("department-report/report.pdf", report_views.department_pdf, name="department-pdf"),
    path("department-report/report.csv", report_views.department_csv, name="department-csv"),
]
