"""The audits' public JSON API: the RLA calculator (sample sizes; a draw from manifest rows), the same
computation as the calculator page and ``safelect rla``."""

from ninja import Router, Schema

from safelect.core.web.permissions import PUBLIC, requires

from . import calculator

router = Router(tags=["audits"])


class DrawIn(Schema):
    seed: str
    sample_size: int
    manifest_csv: str


@router.get("/calculator/sample-size", summary="Sample sizes for one contest (BRAVO polling; super-simple comparison)")
@requires(PUBLIC)
def sample_size(request, risk_limit: float, ballots: int, winner: int, runner_up: int):
    return calculator.sample_sizes(risk_limit, ballots, winner, runner_up)


@router.post("/calculator/draw", summary="Draw ballots from a manifest with a public seed (Rivest's consistent sampler)")
@requires(PUBLIC)
def draw(request, data: DrawIn):
    return calculator.draw(data.seed, data.sample_size, data.manifest_csv.encode("utf-8"))
