from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safelect.core.accounts"
    label = "accounts"
    verbose_name = "Accounts, memberships and roles"
