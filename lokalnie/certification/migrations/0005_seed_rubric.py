"""The standards of the CAL Quality Certificate assessors score (product brief §1).
Staff edit them afterwards."""

from django.db import migrations

CRITERIA = [
    ("Realne, fizyczne miejsce otwarte dla mieszkańców", "A real physical place open to residents",
     "Czy mieszkańcy mogą przyjść sami, korzystać z pomieszczeń, spotykać się i działać?",
     "Can residents come on their own, use the rooms, meet and act there?"),
    ("Działanie oparte na diagnozie problemów i potrzeb społeczności",
     "Action based on a diagnosis of the community's problems and needs",
     "Czy diagnoza była robiona z mieszkańcami i czy działania z niej wynikają?",
     "Was the diagnosis made with residents, and do the actions follow from it?"),
    ("Praca w wielu obszarach, nie z jedną grupą docelową",
     "Work in many fields, not with one target group",
     "Czy działania obejmują różne grupy i sfery życia społeczności?",
     "Do the actions reach different groups and spheres of community life?"),
    ("Promowanie wolontariatu", "Volunteering promoted",
     "Czy mieszkańcy działają jako wolontariusze i czy instytucja ich wspiera?",
     "Do residents act as volunteers, and does the institution support them?"),
    ("Wspieranie inicjatyw lokalnych", "Local initiatives supported",
     "Projekty, grupy samopomocowe i sąsiedzkie, lokalne partnerstwa, wydarzenia.",
     "Projects, self-help and neighbour groups, local partnerships, events."),
    ("OSL w dokumentach instytucji", "OSL in the institution's documents",
     "Statut, regulamin organizacyjny, zakresy obowiązków organizatorów.",
     "Statute, organizational rules, organizers' job descriptions."),
    ("Zespół przeszkolony w modelu OSL", "The team trained in the model",
     "Kto, kiedy i u kogo się szkolił; czy wiedza przechodzi na cały zespół.",
     "Who was trained, when and by whom; does the knowledge reach the whole team?"),
    ("Sieć partnerstwa", "Partnership network",
     "Stała współpraca z instytucjami, organizacjami, biznesem i mieszkańcami.",
     "Lasting cooperation with institutions, organizations, businesses and residents."),
    ("Dowody zmiany", "Evidence of change",
     "Od pomocy do samopomocy, od pracy dla ludzi do pracy z ludźmi i przez ludzi, od "
     "bierności do uczestnictwa; spójność, sprawczość, wpływ, zaangażowanie, współpraca.",
     "From help to self-help, from working for people to working with and through them, "
     "from passivity to participation; cohesion, agency, influence, engagement, cooperation."),
]


def seed(apps, schema_editor):
    RubricCriterion = apps.get_model("certification", "RubricCriterion")
    if RubricCriterion.objects.exists():
        return
    for position, (title_pl, title_en, look_pl, look_en) in enumerate(CRITERIA):
        RubricCriterion.objects.create(
            position=position, title_pl=title_pl, title_en=title_en,
            look_for_pl=look_pl, look_for_en=look_en, scale_max=4,
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0004_rubriccriterion_application_recommendation_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
