from django.urls import path

from mediation import views

app_name = "mediation"
urlpatterns = [
    path("richiesta/", views.request_new, name="new"),
    path("le-mie-richieste/", views.my_requests, name="mine"),
    path("richieste/<int:pk>/", views.request_detail, name="detail"),
    path("richieste/<int:pk>/<slug:action>/", views.request_action, name="action"),
    path("coda/", views.queue, name="queue"),
    path("mediatore/", views.mediator_page, name="mediator"),
    path("tempi/", views.measures, name="measures"),
]
