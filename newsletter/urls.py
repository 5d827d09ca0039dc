from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/", views.signup, name="signup"),
    path("newsletter/controlla-email/", views.check_mail, name="check_mail"),
    path("newsletter/conferma/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/cancella/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
