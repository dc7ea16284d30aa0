from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("reports/whatsapp/", views.whatsapp_callback, name="whatsapp-webhook"),
    path("reports/<str:provider>/", views.delivery_report, name="delivery-report"),
    path("delivery/", views.delivery_summary, name="delivery-summary"),
]
