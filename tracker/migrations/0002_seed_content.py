"""Seed the reminder content: tips, testimonials and resources from tracker/content.toml."""

from django.db import migrations

from tracker.seed import load_content, unload_content


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_content, unload_content),
    ]
