from django.urls import path

from surveys import views

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
]
