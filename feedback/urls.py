from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("valutazione/", views.page_feedback, name="page"),
    path("segnalazioni/sportello-mancante/", views.missing_desk, name="missing_desk"),
    path("segnalazioni/sportello/<slug:slug>/", views.wrong_info, name="wrong_info"),
    path("segnalazioni/grazie/", views.thanks, name="thanks"),
]
