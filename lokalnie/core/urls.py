from django.urls import path

from lokalnie.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("modul/<slug:slug>/", views.module, name="module"),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
    path("polityka-prywatnosci/", views.privacy, name="privacy"),
    path("polityka-prywatnosci.pdf", views.privacy_pdf, name="privacy_pdf"),
    path("jezyk/", views.set_language, name="set_language"),
    path("dziennik-zdarzen/", views.audit_log, name="audit_log"),
    path("zdrowie/", views.health, name="health"),
]
