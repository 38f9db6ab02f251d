from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safelect.core.accounts"
    label = "accounts"
    verbose_name = "Accounts, memberships and roles"

    # "My organizations" and the account page are in the header's account area (web/account_nav.html).
    navigation = [("Clearances", "accounts:clearances", "accounts:clearance:manage")]

    def ready(self) -> None:
        from safelect.core.web.permissions import install_authority

        from .permissions import has_permission, would_have_with_mfa

        install_authority(has_permission=has_permission, would_have_with_mfa=would_have_with_mfa)
