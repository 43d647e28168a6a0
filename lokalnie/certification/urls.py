from django.urls import path

from lokalnie.certification import views

app_name = "certification"

urlpatterns = [
    path("", views.index, name="index"),
    path("samoocena/", views.selfcheck, name="selfcheck"),
    path("samoocena/wynik/<int:pk>/", views.selfcheck_result, name="selfcheck_result"),
    path("samoocena/statystyki/", views.selfcheck_stats, name="selfcheck_stats"),
    path("obszary/", views.areas, name="areas"),
    path("obszary/<slug:slug>/", views.area_detail, name="area"),
    path("obszary/<slug:slug>/edycja/", views.area_edit, name="area_edit"),
    path("obszary/<slug:slug>/dokumenty/nowy/", views.document_add, name="document_add"),
    path("dokumenty/<int:pk>/", views.document_download, name="document_download"),
    path("dokumenty/<int:pk>/archiwizuj/", views.document_archive, name="document_archive"),
    path("regulamin/", views.regulation, name="regulation"),
    path("regulamin/edycja/", views.regulation_edit, name="regulation_edit"),
    path("wnioski/", views.applications, name="applications"),
    path("wnioski/nowy/", views.application_create, name="application_create"),
    path("wnioski/<int:pk>/", views.application_detail, name="application"),
    path("wnioski/<int:pk>/lista/", views.application_checklist, name="application_checklist"),
    path(
        "wnioski/<int:pk>/krok/<slug:action>/", views.application_action, name="application_action"
    ),
    path("wnioski/<int:pk>/raport/", views.report, name="report"),
    path("wnioski/<int:pk>/raport.pdf", views.report_pdf, name="report_pdf"),
    path("wnioski/<int:pk>/raport/<slug:key>/", views.report_section_save, name="report_section"),
    path(
        "wnioski/<int:pk>/raport/<slug:key>/historia/",
        views.report_history,
        name="report_history",
    ),
    path("wnioski/<int:pk>/zalaczniki/", views.report_attachment_add, name="attachment_add"),
    path(
        "wnioski/<int:pk>/zalaczniki/<int:attachment_pk>/",
        views.report_attachment_download,
        name="attachment",
    ),
    path(
        "wnioski/<int:pk>/zalaczniki/<int:attachment_pk>/usun/",
        views.report_attachment_remove,
        name="attachment_remove",
    ),
    path("wnioski/<int:pk>/eksperci/", views.assessors, name="assessors"),
    path("wnioski/<int:pk>/ocena/", views.review_form, name="review"),
    path("wnioski/<int:pk>/oceny/", views.reviews, name="reviews"),
    path("wnioski/<int:pk>/pytania/", views.questions, name="questions"),
    path("wnioski/<int:pk>/wizytacja/", views.site_visit, name="site_visit"),
    path("wnioski/<int:pk>/glosowanie/", views.votes, name="votes"),
    path("panel/", views.dashboard, name="dashboard"),
    path("standardy/", views.rubric, name="rubric"),
    path("standardy/nowy/", views.rubric_edit, name="rubric_add"),
    path("standardy/<int:pk>/", views.rubric_edit, name="rubric_edit"),
    path("wnioski/<int:pk>/odnow/", views.application_renew, name="application_renew"),
    path("wnioski/<int:pk>/zmiany/", views.application_changes, name="application_changes"),
]
