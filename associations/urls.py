from django.urls import path

from associations import views

app_name = "associations"

urlpatterns = [
    path("associazioni/", views.association_list, name="list"),
    path("associazioni/proponi/", views.association_propose, name="propose"),
    path("associazioni/proposta-inviata/", views.association_proposed, name="proposed"),
    path("associazioni/<slug:slug>/", views.association_detail, name="detail"),
    path("associazioni/<slug:slug>/logo/", views.association_logo, name="logo"),
    path("associazioni/<slug:slug>/eventi.ics", views.feed_association, name="feed_association"),
    path("eventi/", views.event_list, name="events"),
    path("eventi/calendario.ics", views.feed_all, name="feed"),
    path("eventi/<slug:slug>/", views.event_detail, name="event"),
    path("ambiti/<slug:slug>/eventi.ics", views.feed_ambito, name="feed_ambito"),
    path("accesso/password/<uidb64>/<token>/", views.set_password, name="set_password"),
    path("accesso/password/fatto/", views.set_password_done, name="set_password_done"),
]
