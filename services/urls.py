from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("", views.sportello_search, name="search"),
    path("<slug:slug>/", views.sportello_detail, name="sportello"),
]
