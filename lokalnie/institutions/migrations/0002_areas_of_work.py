"""The areas of work known from CAL's certification page. Staff manage them as data
afterwards (admin); this only seeds them."""

from django.db import migrations

AREAS = [
    ("pomoc-i-integracja-spoleczna", "pomoc i integracja społeczna", "social assistance and integration"),
    ("kultura", "kultura", "culture"),
    ("edukacja", "edukacja", "education"),
    ("ekologia", "ekologia", "ecology"),
    ("bezpieczenstwo", "bezpieczeństwo", "safety"),
]


def seed(apps, schema_editor):
    AreaOfWork = apps.get_model("institutions", "AreaOfWork")
    for position, (slug, name_pl, name_en) in enumerate(AREAS):
        AreaOfWork.objects.get_or_create(
            slug=slug, defaults={"name_pl": name_pl, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
