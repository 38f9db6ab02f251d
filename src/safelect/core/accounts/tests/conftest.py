# The accounts test helpers as fixtures here too, until the root conftest registers the plugin
# (pytest_plugins = ["safelect.core.accounts.testing"]).
from safelect.core.accounts.testing import assert_access_fixture, make_member_fixture, member  # noqa: F401
