"""Materials: participants download what their stage opens (by the token of their
registration); coordinators upload and remove the files of their editions, staff those of
whole programmes, and both see how often each was downloaded."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can, permission_required, visible_managed_editions
from lokalnie.core.uploads import serve_upload
from lokalnie.training import materials as service
from lokalnie.training.models import Material, Programme, Registration


class MaterialForm(forms.Form):
    title_pl = forms.CharField(label=gettext_lazy("Title (Polish)"), max_length=200)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"), max_length=200, required=False
    )
    description_pl = forms.CharField(
        label=gettext_lazy("Description (Polish)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Open to"),
        choices=Material.Stage.choices,
        widget=forms.RadioSelect,
        initial=Material.Stage.REGISTERED,
        error_messages={"required": gettext_lazy("Choose who the material is open to.")},
    )
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, DOCX or ODT, at most %(limit)s.") % {
            "limit": filesizeformat(service.MATERIAL_MAX_BYTES)
        }


def _add(request, *, programme=None, edition=None):
    """Validate the form and store the material; the bound form (with errors) otherwise."""
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.material_add(
                by=request.user,
                programme=programme,
                edition=edition,
                upload=data["file"],
                title_pl=data["title_pl"],
                title_en=data["title_en"],
                description_pl=data["description_pl"],
                description_en=data["description_en"],
                stage=data["stage"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The material has been added."))
            return None
    return form


# --- Participants ----------------------------------------------------------------------


def registration_context(registration) -> dict:
    """What this part adds to the participant's registration page."""
    return {"material_rows": service.materials_for(registration)}


def material_download(request, token: str, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("edition"), token=token)
    material = service.material_for(registration, pk)
    if material is None:
        raise Http404
    if not service.is_open(material, service.stage_level(registration)):
        return render(
            request,
            "training/materials/locked.html",
            {
                "registration": registration,
                "material": material,
                "opens_when": service.OPENS_WHEN[material.stage],
            },
            status=403,
        )
    if not material.file.storage.exists(material.file.name):
        raise Http404
    response = serve_upload(
        material.file, filename=material.filename, content_type=material.content_type
    )
    service.material_downloaded(material)
    return response


# --- Coordinators: an edition's materials ------------------------------------------------


def _managed_edition(request, pk):
    return get_object_or_404(
        visible_managed_editions(request.user).select_related("programme"), pk=pk
    )


@permission_required("training.coordinate")
def edition_materials(request, pk: int):
    edition = _managed_edition(request, pk)
    form = MaterialForm()
    if request.method == "POST":
        form = _add(request, edition=edition)
        if form is None:
            return redirect("training:edition_materials", edition.pk)
    materials = list(service.materials_of_edition(edition))
    return render(
        request,
        "training/materials/edition.html",
        {
            "edition": edition,
            "form": form,
            "edition_materials": [m for m in materials if m.edition_id],
            "programme_materials": [m for m in materials if m.programme_id],
            "can_manage_programme": can(request.user, "programme.manage"),
        },
    )


@permission_required("training.coordinate")
def material_preview(request, pk: int, material: int):
    """The file as participants get it, for the edition's coordinators (not counted)."""
    edition = _managed_edition(request, pk)
    item = get_object_or_404(service.materials_of_edition(edition), pk=material)
    if not item.file.storage.exists(item.file.name):
        raise Http404
    return serve_upload(item.file, filename=item.filename, content_type=item.content_type)


@require_POST
@permission_required("training.coordinate")
def edition_material_delete(request, pk: int, material: int):
    edition = _managed_edition(request, pk)
    item = get_object_or_404(Material, pk=material, edition=edition)
    service.material_delete(material=item, by=request.user)
    messages.success(request, _("The material has been removed."))
    return redirect("training:edition_materials", edition.pk)


# --- Staff: a programme's materials (for every edition) ----------------------------------


@permission_required("programme.manage")
def programme_materials(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug)
    form = MaterialForm()
    if request.method == "POST":
        form = _add(request, programme=programme)
        if form is None:
            return redirect("training:programme_materials", programme.slug)
    return render(
        request,
        "training/materials/programme.html",
        {
            "programme": programme,
            "form": form,
            "materials": programme.materials.order_by("title_pl", "pk"),
        },
    )


@require_POST
@permission_required("programme.manage")
def programme_material_delete(request, slug: str, material: int):
    programme = get_object_or_404(Programme, slug=slug)
    item = get_object_or_404(Material, pk=material, programme=programme)
    service.material_delete(material=item, by=request.user)
    messages.success(request, _("The material has been removed."))
    return redirect("training:programme_materials", programme.slug)


urlpatterns = [
    path(
        "zgloszenie/<str:token>/materialy/<int:pk>/",
        material_download,
        name="material_download",
    ),
    path("koordynacja/edycje/<int:pk>/materialy/", edition_materials, name="edition_materials"),
    path(
        "koordynacja/edycje/<int:pk>/materialy/<int:material>/plik/",
        material_preview,
        name="material_preview",
    ),
    path(
        "koordynacja/edycje/<int:pk>/materialy/<int:material>/usun/",
        edition_material_delete,
        name="edition_material_delete",
    ),
    path(
        "koordynacja/programy/<slug:slug>/materialy/",
        programme_materials,
        name="programme_materials",
    ),
    path(
        "koordynacja/programy/<slug:slug>/materialy/<int:material>/usun/",
        programme_material_delete,
        name="programme_material_delete",
    ),
]
