"""Seed the catalog: muscles, exercises, routines and programs from routines/catalog.toml."""

from django.db import migrations

from routines.seed import load_catalog, unload_catalog


class Migration(migrations.Migration):
    dependencies = [
        ("routines", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_catalog, unload_catalog),
    ]
