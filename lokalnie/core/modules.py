"""The four parts of the platform, as shown in the navigation and on the home page.

``ready`` says honestly whether the module can be used yet; a module page that is not
ready explains what it will do and when it is planned, instead of pretending."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    slug: str
    title: Promise
    summary: Promise
    audience: Promise
    url_name: str = ""  # the module's own entry page, once it exists

    @property
    def ready(self) -> bool:
        return bool(self.url_name)

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name) if self.url_name else reverse("core:module", args=[self.slug])


MODULES = [
    Module(
        "certyfikat",
        _("CAL Quality Certificate"),
        _(
            "Check in eight questions whether your institution works with its local "
            "community in the community-organizing model (OSL), apply for the certificate, "
            "write the OSL report with your team and follow the review until the decision."
        ),
        _("Social assistance centres, culture houses, libraries, schools, NGOs."),
        url_name="certification:index",
    ),
    Module(
        "rewitalizacja",
        _("Social revitalization"),
        _(
            "Build a social revitalization programme following the Model Standard of Active "
            "Integration (MSAI): diagnose the gmina, delimit the revitalization area within "
            "the legal limits, gather partners, plan actions and monitor their results."
        ),
        _("Gmina teams, social assistance centres and their partners."),
        url_name="revitalization:index",
    ),
    Module(
        "warsztaty",
        _("Workshops"),
        _(
            "Sign up for 3-day workshops held across Poland on building and running social "
            "revitalization programmes, get confirmed or join the waiting list, and receive "
            "the trainer's handbook and the catalogue of good practices."
        ),
        _("Staff of public social assistance and integration institutions."),
        url_name="training:editions",
    ),
    Module(
        "dobre-praktyki",
        _("Good practices and news"),
        _(
            "Browse good practices of community work and revitalization from certified "
            "institutions and programmes, and read the association's news."
        ),
        _("Everyone."),
    ),
]

MODULES_BY_SLUG = {module.slug: module for module in MODULES}
