from django.urls import path

from lokalnie.registry import views

app_name = "registry"

urlpatterns = [
    # --- public: registry, verification, open data ---------------------------------------
    path("rejestr/", views.registry, name="registry"),
    path("rejestr/mapa/", views.registry_map, name="map"),
    path("rejestr/instytucja/<int:pk>/", views.institution, name="institution"),
    path("rejestr/otwarte-dane/", views.open_data, name="open_data"),
    path("rejestr/certyfikaty.csv", views.export_csv, name="export_csv"),
    path("rejestr/certyfikaty.json", views.export_json, name="export_json"),
    path("weryfikacja/", views.verify, name="verify"),
    path("weryfikacja/<str:number>/", views.verify_number, name="verify_number"),
    path("weryfikacja/<str:number>/odznaka.svg", views.badge, name="badge"),
    path("weryfikacja/<str:number>/poswiadczenie.jwt", views.credential_jwt, name="jwt"),
    path("weryfikacja/<str:number>/poswiadczenie.json", views.credential_json, name="json"),
    path("status/<slug:purpose>/", views.status_list, name="status_list"),
    # --- institutions' members, the Committee, staff ---------------------------------------
    path("certyfikaty/", views.certificates, name="certificates"),
    path("certyfikaty/<str:number>/", views.certificate, name="certificate"),
    path("certyfikaty/<str:number>/certyfikat.pdf", views.certificate_pdf, name="pdf"),
    path(
        "certyfikaty/<str:number>/postepowanie/",
        views.investigation_open,
        name="investigation_open",
    ),
    path("certyfikaty/<str:number>/przywrocenie/", views.reinstate, name="reinstate"),
    path("postepowania/", views.investigations, name="investigations"),
    path("postepowania/<int:pk>/", views.investigation, name="investigation"),
    path("postepowania/<int:pk>/odpowiedz/", views.investigation_respond, name="respond"),
    path("postepowania/<int:pk>/decyzja/", views.investigation_decide, name="decide"),
    path("osoba-odpowiedzialna/", views.responsible_person, name="responsible_person"),
]
