"""Notice kinds: each declared once, in its app's ``notices.py``, collected at start-up.

An app declares ``KINDS = [NoticeKind(...), ...]`` in ``<app>/notices.py`` (or calls
:func:`register`). The code is ``"<app label>.<what happened>"``. Templates are Django template
strings or template paths (a value ending in ``.txt`` or ``.html`` with no braces); they see the
notice's ``context`` plus ``base_url`` and ``kind``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .recipients import Recipients

_CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
_PATH = re.compile(r"^[\w./-]+\.(txt|html)$")


@dataclass(frozen=True)
class NoticeKind:
    """What a notice of this kind says and to whom it goes.

    ``recipients(context) -> Recipients`` resolves the people (by membership and role) and the
    organizations (for webhooks). ``email_opt_out_allowed=False`` where the law requires the
    notification to be delivered (statutory notices); people cannot turn those emails off.
    ``webhook=True`` also posts the notice to the recipient organizations' webhook endpoints.
    ``private=True`` for a message that carries a single-use secret (an invitation or password-reset
    link): email only, to the address the sender names; the secret is rendered from the sender's
    ``secret_context`` and never stored in the notice's context; the email body is erased once its
    delivery ends (sent, presumed sent or failed).
    """

    code: str
    title: str
    recipients: Callable[[dict], Recipients]
    email_subject: str
    email_body: str
    inbox_title: str
    inbox_body: str = ""
    email_opt_out_allowed: bool = True
    webhook: bool = False
    description: str = ""
    channels: tuple[str, ...] = field(default=("email", "inbox"))
    private: bool = False

    def __post_init__(self) -> None:
        if self.private and (self.webhook or tuple(self.channels) != ("email",)):
            raise ValueError(f"notice kind {self.code}: a private notice goes by email only (channels=('email',), no webhook)")
        if not _CODE.match(self.code):
            raise ValueError(f"notice kind code {self.code!r} must look like 'app.what_happened'")
        if not callable(self.recipients):
            raise TypeError(f"notice kind {self.code}: recipients must be a callable(context) -> Recipients")

    def render(self, context: dict, secret_context: dict | None = None) -> dict[str, str]:
        """Subject and bodies for email and inbox, rendered once for every recipient."""
        from django.conf import settings
        from django.template import Context, Template
        from django.template.loader import get_template

        values = {**context, **(secret_context or {}), "kind": self, "base_url": getattr(settings, "BASE_URL", "")}
        out = {}
        for name in ("email_subject", "email_body", "inbox_title", "inbox_body"):
            source = getattr(self, name)
            if _PATH.match(source):
                text = get_template(source).render(values)
            else:
                text = Template(source).render(Context(values, autoescape=False))
            out[name] = " ".join(text.split()) if name in ("email_subject", "inbox_title") else text.strip()
        return out


_KINDS: dict[str, NoticeKind] = {}
_loaded = False


def register(kind: NoticeKind, *, replace: bool = False) -> NoticeKind:
    """Add a kind; a second kind with the same code is a mistake unless ``replace`` (tests)."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing is not kind and not replace:
        raise ValueError(f"notice kind {kind.code!r} is declared twice")
    _KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _KINDS.pop(code, None)


def load_kinds() -> dict[str, NoticeKind]:
    """Import every safelect app's ``notices.py`` and register its ``KINDS`` (once)."""
    global _loaded
    if _loaded:
        return _KINDS
    from safelect.core.discovery import app_modules

    for config, module in app_modules("notices"):
        for kind in getattr(module, "KINDS", []):
            if not kind.code.startswith(f"{config.label}."):
                raise ValueError(f"{config.name}.notices declares {kind.code!r}: codes start with '{config.label}.'")
            register(kind)
    _loaded = True
    return _KINDS


def get(code: str) -> NoticeKind:
    load_kinds()
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unknown notice kind {code!r}; declare it in an app's notices.py") from None


def all_kinds() -> list[NoticeKind]:
    return sorted(load_kinds().values(), key=lambda k: k.code)
