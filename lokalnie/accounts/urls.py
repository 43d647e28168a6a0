from django.urls import path

from lokalnie.accounts import views

app_name = "accounts"

urlpatterns = [
    path("pulpit/", views.dashboard, name="dashboard"),
    path("profil/", views.profile, name="profile"),
]
