"""Directory pages: regions → States → jurisdictions, with search. Open to the public."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from safelect.core.web.permissions import PUBLIC, requires

from . import queries
from .models import Jurisdiction, State


@requires(PUBLIC)
def index(request):
    return render(request, "directory/index.html", {"regions": queries.regions_with_states(), "summary": queries.directory_summary()})


@requires(PUBLIC)
def state_detail(request, usps: str):
    try:
        state = queries.state(usps)
    except State.DoesNotExist:
        raise Http404(f"No State or territory with the code {usps!r}") from None
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in {"", *Jurisdiction.Kind.values}:
        kind = ""
    page = Paginator(queries.jurisdictions(state, search, kind), 50).get_page(request.GET.get("page"))
    context = {
        "state": state,
        "office": queries.chief_election_office(state),
        "page": page,
        "q": search,
        "kind": kind,
        "kinds": Jurisdiction.Kind.choices,
    }
    template = "directory/_jurisdiction_table.html" if request.htmx else "directory/state.html"
    return render(request, template, context)


@requires(PUBLIC)
def search(request):
    term = request.GET.get("q", "").strip()
    results = Paginator(queries.jurisdictions(search=term), 50).get_page(request.GET.get("page")) if term else None
    return render(request, "directory/search.html", {"q": term, "page": results})


@requires(PUBLIC)
def jurisdiction_detail(request, code: str):
    """One local election jurisdiction: what the EAVS says of it, its county and State, and its
    election office (whose contacts are on the office's page, for those who may see them)."""
    jurisdiction = Jurisdiction.objects.select_related("state", "county", "organization").filter(eavs_code=code).first()
    if jurisdiction is None:
        raise Http404(f"No jurisdiction with the EAVS code {code!r}")
    return render(request, "directory/jurisdiction.html", {"j": jurisdiction, "office": queries.chief_election_office(jurisdiction.state)})
