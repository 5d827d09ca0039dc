from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("sportelli/", views.sportello_search, name="search"),
    path("sportelli/<slug:slug>/", views.sportello_detail, name="sportello"),
    path("sportelli/<slug:slug>/manifesto/", views.sportello_poster, name="poster"),
    path("guide/", views.guide_list, name="guides"),
    path("guide/<slug:slug>/", views.guide_detail, name="guide"),
]
