from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Information sharing: the presumption to share, written withholding, audiences, TLP (S.2261 §4(a)–(g))."""

    name = "safelect.programs.sharing"
    label = "sharing"
    verbose_name = "Information sharing"
    default_auto_field = "django.db.models.BigAutoField"

    navigation = [("Sharing", "sharing:feed", "sharing:product:view")]
    url_mounts = {"taxii2/": "safelect.programs.sharing.taxii_urls"}  # the TAXII 2.1 server

    def ready(self) -> None:
        from safelect.core.journal.services import register_history
        from safelect.core.vulnerabilities import register_publisher

        from .access import visible_items, visible_products
        from .handoff import publish_vulnerability
        from .models import Item, Product

        register_history(Item, permission="sharing:item:view", visible=lambda request: visible_items(request))
        register_history(Product, permission="sharing:product:view", visible=lambda request: visible_products(request))
        register_publisher(publish_vulnerability)  # vulnerabilities other programs hand over (S.2261 §8(d)(5))
