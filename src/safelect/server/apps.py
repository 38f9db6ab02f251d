from django.apps import AppConfig


class ServerConfig(AppConfig):
    """The composition root: the URL map, the API, WSGI, the home page, and the commands that run
    the site (``demo``, ``serve``, ``worker``, ``check``). Nothing in the kernel or the programs
    imports it; it imports them all."""

    name = "safelect.server"
    label = "server"
    verbose_name = "The running site"
