from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safelect.core.accounts"
    label = "accounts"
    verbose_name = "Accounts, memberships and roles"

    # "My organizations" and the account page are in the header's account area (web/account_nav.html).
    navigation = [("Clearances", "accounts:clearances", "accounts:clearance:manage")]
