"""The public lawbook: contents, each section with its provisions (what safelect does for each,
the registry's duties with their clocks), a citation's page, and questions answered from the text.
Every page works without JavaScript."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from safelect.core.directory.queries import viewer_zone
from safelect.core.obligations import services as obligations
from safelect.core.web.permissions import PUBLIC, requires

from . import queries
from .ask import ask
from .implementation import STATUS_WORDS, part_for
from .linking import current_maps, linked

MAX_QUESTION = 500


@requires(PUBLIC)
def index(request):
    return render(request, "lawbook/index.html", {"bills": queries.contents()})


@requires(PUBLIC)
def section(request, bill: str, number: str):
    provisions = queries.section(bill, number)
    if not provisions:
        raise Http404("No such section")
    duties = queries.duties_by_citation()
    overrides = obligations.policy_overrides()
    maps = current_maps()
    rows = []
    for p in provisions:
        part = part_for(p.citation)
        shown = part if part is not None and (not p.path or part.prefix == p.citation) else None
        rows.append(
            {
                "p": p,
                "html": linked(p, maps),
                "depth": min(len(p.path), 4),
                "duties": [
                    {"duty": d, "rule": d.describe_rule(overrides), "holder": d.holder.replace("_", " ")}
                    for d in duties.get(p.citation, [])
                ],
                "part": shown,
                "status": STATUS_WORDS.get(shown.status, "") if shown else "",
            }
        )
    head = provisions[0]
    return render(request, "lawbook/section.html", {"head": head, "rows": rows, "bill_name": queries.BILL_NAMES[head.bill], "slug": bill})


@requires(PUBLIC)
def cite(request):
    found = queries.find((request.GET.get("c") or "")[:200])
    if found is None:
        raise Http404("No provision has that citation")
    return redirect(queries.url_of(found))


@requires(PUBLIC)
def ask_page(request):
    question = (request.GET.get("q") or "").strip()
    error = ""
    answer = None
    if len(question) > MAX_QUESTION:
        error = f"Ask in at most {MAX_QUESTION} characters."
    elif question:
        answer = ask(question, zone=viewer_zone(request))
    elif "q" in request.GET:
        error = "Type a question."
    links = {}
    if answer is not None:
        for r in answer.citations[:5]:
            links[r.provision.citation] = queries.url_of(r.provision)
    return render(
        request,
        "lawbook/ask.html",
        {"question": question, "answer": answer, "error": error, "links": links, "zone": viewer_zone(request).replace("_", " ")},
        status=200,
    )
