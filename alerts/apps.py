from django.apps import AppConfig, apps


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Email alerts"

    def ready(self):
        from . import providers, receivers

        receivers.connect()
        if apps.is_installed("anymail"):  # an email provider's API (settings.EMAIL_BACKEND)
            providers.connect()
