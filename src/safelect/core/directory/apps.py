from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "safelect.core.directory"
    label = "directory"
    verbose_name = "Directory of the election system"

    navigation = [("Directory", "directory:index", "public")]
