from django.urls import path

from legal import views

app_name = "legal"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("nuova/", views.consultation_new, name="new"),
    path("faq/", views.faq_list, name="faq"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.consultation_action, name="action"),
]
