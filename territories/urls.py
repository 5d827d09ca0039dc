from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("", views.ambito_list, name="ambiti"),
    path("<slug:slug>/", views.ambito_detail, name="ambito"),
]
