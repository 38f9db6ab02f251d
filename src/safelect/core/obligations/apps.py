from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "safelect.core.obligations"
    label = "obligations"
    verbose_name = "Obligations: statutory duties, their clocks, reminders and calendar"

    navigation = [("Deadlines", "obligations:mine", "obligations:obligation:view")]
