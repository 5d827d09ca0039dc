from django.db import migrations

TOPICS = ["lingua", "scuola", "lavoro", "casa", "salute", "diritti", "intercultura", "donne", "giovani", "sport"]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("associations", "Topic")
    for key in TOPICS:
        Topic.objects.get_or_create(key=key)


class Migration(migrations.Migration):
    dependencies = [("associations", "0001_initial")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
