from django.urls import path

from lokalnie.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="list"),
    path("nowa/", views.institution_create, name="create"),
    path("<int:pk>/", views.institution_detail, name="detail"),
    path("<int:pk>/edycja/", views.institution_edit, name="edit"),
    path("<int:pk>/czlonkowie/", views.institution_members, name="members"),
    path(
        "<int:pk>/zaproszenia/<int:invitation_pk>/wycofaj/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:pk>/czlonkowie/<int:membership_pk>/usun/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("zaproszenie/<str:token>/", views.invitation_detail, name="invitation"),
    path("gminy/", views.gmina_search_view, name="gmina_search"),
]
