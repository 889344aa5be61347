from django.apps import AppConfig


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = "Backcare"
