"""The public RLA calculator: sample sizes for one contest and a draw from a ballot manifest, computed
by the same library the audits use (:mod:`safelect.rla`): BRAVO for ballot polling (the sizes that
finish in one round with 70, 80 and 90 % probability), super-simple for ballot comparison (Stark 2010,
with no discrepancies expected), and Rivest's consistent sampler for the draw. Limits keep it cheap:
at most 10 million ballots, 5,000 draws and a 1 MB manifest."""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError

from safelect.rla.bravo import bravo_sample_size
from safelect.rla.comparison import supersimple_sample_size
from safelect.rla.contest import Contest
from safelect.rla.manifest import ManifestError, keyed, read_manifest_text
from safelect.rla.sampling import SeedWarning, consistent_sample, validate_seed

MAX_BALLOTS = 10_000_000
MAX_DRAWS = 5_000
MAX_MANIFEST_BYTES = 1024 * 1024


def sample_sizes(risk_limit: float, ballots: int, winner: int, runner_up: int) -> dict:
    errors = {}
    if not 0 < risk_limit < 100:
        errors["risk_limit"] = "A risk limit is a percentage between 0 and 100 (for example 5)."
    if not 0 < ballots <= MAX_BALLOTS:
        errors["ballots"] = f"Give the ballots cast (at most {MAX_BALLOTS:,})."
    if winner < 0 or runner_up < 0:
        errors["winner"] = "Votes are whole numbers, 0 or more."
    elif winner + runner_up > ballots:
        errors["ballots"] = "The two candidates' votes add up to more than the ballots cast."
    elif winner <= runner_up:
        errors["winner"] = "The reported winner must have more votes than the runner-up."
    if errors:
        raise ValidationError(errors)
    contest = Contest("Contest", {"Winner": winner, "Runner-up": runner_up}, ballots, ("Winner",))
    alpha = risk_limit / 100
    polling = {f"{int(q * 100)} %": str(bravo_sample_size(contest, alpha, q)) for q in (0.7, 0.8, 0.9)}
    comparison = supersimple_sample_size(alpha, contest.min_diluted_margin(), ballots)
    return {"diluted_margin": contest.min_diluted_margin(), "polling": polling, "comparison": str(comparison)}


def draw(seed: str, sample_size: int, manifest: bytes) -> dict:
    errors = {}
    seed = (seed or "").strip()
    warnings_seen = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SeedWarning)
            validate_seed(seed)
        warnings_seen = [str(w.message) for w in caught]
    except ValueError as exc:
        errors["seed"] = str(exc)
    if not 1 <= sample_size <= MAX_DRAWS:
        errors["sample_size"] = f"Draw between 1 and {MAX_DRAWS:,} ballots here (use `safelect rla draw` for more)."
    if len(manifest) > MAX_MANIFEST_BYTES:
        errors["manifest"] = "The manifest is larger than 1 MB: use `safelect rla draw` on your computer."
    batches = []
    if "manifest" not in errors:
        try:
            batches = read_manifest_text(manifest.decode("utf-8-sig"))
        except UnicodeDecodeError:
            errors["manifest"] = "The manifest is not UTF-8 text (a CSV with Batch Name and Number of Ballots columns)."
        except ManifestError as exc:
            errors["manifest"] = str(exc)
    if errors:
        raise ValidationError(errors)
    try:
        fmt, keys = keyed(batches)
    except ManifestError as exc:
        raise ValidationError({"manifest": str(exc)}) from None
    total = sum(n for _, n in keys)
    if total > MAX_BALLOTS:
        raise ValidationError({"manifest": f"The manifest lists {total:,} ballots; the calculator draws from at most {MAX_BALLOTS:,}."})
    rows = []
    for d in consistent_sample(seed, keys, sample_size, with_replacement=True):
        key, position = d.id
        batch = " / ".join(str(k) for k in key if k) if isinstance(key, tuple) else str(key)
        rows.append({"ticket": d.ticket, "batch": batch, "position": position})
    return {"seed": seed, "ballots": total, "batches": len(keys), "sample_size": sample_size, "draws": rows, "warnings": warnings_seen}
