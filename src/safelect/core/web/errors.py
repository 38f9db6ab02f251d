"""Error answers: JSON in the API's one shape under ``/api/``, pages in the site shell elsewhere.

Django calls these for an unknown path (404), a refused permission (403), a bad request (400) and
an unhandled exception (500; logged with its traceback by ``django.request``). Pages keep the
header, say what happened in words and offer a way back; the 500 page falls back to plain HTML if
the shell itself cannot be drawn (say, with the database down).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string

from .api_errors import error

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You do not have permission to open this page, or you are acting for another organization."),
    404: ("Page not found", "There is no such page, or it is not one you may see."),
    500: ("Something went wrong", "The request was not completed. The error has been logged for the administrators."),
}


def _answer(request, status: int, detail: str = ""):
    if request.path.startswith("/api/"):
        return error(status, detail or MESSAGES[status][1])
    title, text = MESSAGES[status]
    try:
        body = render_to_string("web/error.html", {"status": status, "title": title, "text": text}, request=request)
    except Exception:  # the shell needs the database (navigation, inbox): say it plainly instead
        body = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><main><h1>{title}</h1><p>{text}</p><p><a href="/">Back to the home page</a></p></main></body></html>'
        )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400)


def permission_denied(request, exception=None):
    return _answer(request, 403, str(exception) if exception else "")


def page_not_found(request, exception=None):
    return _answer(request, 404, "no such API operation" if request.path.startswith("/api/") else "")


def server_error(request):
    return _answer(request, 500, "server error: the request was not completed; it has been logged")
