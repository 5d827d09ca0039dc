from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("materiali/", views.material_list, name="materials"),
    path("materiali/<slug:slug>/<slug:language>/", views.material_file, name="material_file"),
    path("notizie/", views.news_list, name="news_list"),
    path("notizie/<slug:slug>/", views.news_detail, name="news"),
]
