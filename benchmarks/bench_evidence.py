"""Score the claim reader (`accord.evidence`) on annotated articles.

    python benchmarks/bench_evidence.py [FOLDER ...] [--verbose]

FOLDER holds annotated YAML articles (default: ../shared/data/articles next to the
repository; tests/data/articles holds more). Scored as the folder's README says: a claim
is *found* when the reader gives a claim on the same sentence with the same party (the
claim's actor when it is a party of the `ukraine-2025` scenario, else none); then its
certainty is compared, and its issues where the annotation has some (when the scenario
matcher `accord.evidence.matching` is there; "n/a" otherwise). Printed per article and in
total, with the goals: found ≥ 80 %, unmatched ≤ 30 % of the reader's claims, certainty
right on ≥ 85 % of the found, one right issue on ≥ 70 % of those bearing on one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from accord.evidence import extract_claims, read_document

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "articles"
PARTIES = ("us", "russia", "ukraine", "europe")
GOALS = {"found": 0.80, "unmatched": 0.30, "certainty": 0.85, "issues": 0.70}


@dataclass
class Score:
    """Counts for one article (or the total)."""

    name: str
    expected: int = 0
    found: int = 0
    claims: int = 0
    unmatched: int = 0
    certainty_right: int = 0
    kind_right: int = 0
    with_issues: int = 0
    issues_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for key in ("expected", "found", "claims", "unmatched", "certainty_right",
                    "kind_right", "with_issues", "issues_right"):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def rates(self) -> dict[str, float | None]:
        def share(a: int, b: int) -> float | None:
            return a / b if b else None
        return {"found": share(self.found, self.expected),
                "unmatched": share(self.unmatched, self.claims),
                "certainty": share(self.certainty_right, self.found),
                "kind": share(self.kind_right, self.found),
                "issues": share(self.issues_right, self.with_issues)}


def _scenario():  # noqa: ANN202
    try:
        from accord.evidence.update import scenario_claims
        from accord.io import resolve

        scenario = resolve("ukraine-2025")
        return scenario, scenario_claims
    except Exception:  # noqa: BLE001 - no matcher yet: issues are n/a
        return None, None


def score_file(path: Path, scenario=None, match=None) -> Score:  # noqa: ANN001
    """Score the reader on one annotated article."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    document = read_document(path)
    parties = {p.id for p in scenario.parties} if scenario is not None else set(PARTIES)
    claims = extract_claims(document)
    # the points each claim bears on, as `accord evidence --scenario` gives them (in the
    # article's order, so a sentence that refers back gets the points before it)
    points = {id(item.claim): item.issues
              for item in (match(scenario, claims, [document]) if match else ())}
    mine = Counter()
    by_key: dict[tuple[str, str | None], object] = {}
    for claim in claims:
        party = claim.actor if claim.actor in parties else None
        key = (claim.text.strip(), party)
        mine[key] += 1
        by_key.setdefault(key, claim)
    expected = {}
    for item in data.get("claims") or []:
        expected.setdefault((item["sentence"].strip(), item.get("party")), item)
    score = Score(path.stem, expected=len(expected), claims=len(by_key))
    for key, item in expected.items():
        claim = by_key.get(key)
        if claim is None:
            score.misses.append(f"missed   {key[1]!s:8} {key[0][:70]}")
            continue
        score.found += 1
        if claim.certainty == item["certainty"]:
            score.certainty_right += 1
        else:
            score.misses.append(f"certainty {claim.certainty} ≠ {item['certainty']}: "
                                f"{key[0][:60]}")
        if claim.kind == item.get("kind"):
            score.kind_right += 1
        else:
            score.misses.append(f"kind {claim.kind} ≠ {item.get('kind')}: {key[0][:60]}")
        if item.get("issues") and match is not None:
            score.with_issues += 1
            if set(points.get(id(claim), ())) & set(item["issues"]):
                score.issues_right += 1
    for key in by_key:
        if key not in expected:
            score.unmatched += 1
            score.misses.append(f"extra    {key[1]!s:8} {key[0][:70]}")
    return score


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:5.1f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses")
    parser.add_argument("--no-issues", action="store_true", help="skip the issue matcher")
    args = parser.parse_args(argv)
    scenario, match = (None, None) if args.no_issues else _scenario()
    files = [f for folder in args.folders for f in sorted(Path(folder).glob("*.yaml"))]
    if not files:
        print(f"no annotated articles (*.yaml) in {', '.join(map(str, args.folders))}",
              file=sys.stderr)
        return 2
    total = Score("total")
    print(f"{'article':44} {'claims':>6} {'found':>7} {'unmatched':>9} {'certainty':>9} "
          f"{'issues':>7} {'kind*':>7}")
    for path in files:
        score = score_file(path, scenario, match)
        total.add(score)
        r = score.rates()
        print(f"{score.name[:44]:44} {score.expected:>6} {_pct(r['found']):>7} "
              f"{_pct(r['unmatched']):>9} {_pct(r['certainty']):>9} {_pct(r['issues']):>7} "
              f"{_pct(r['kind']):>7}")
        if args.verbose:
            for line in score.misses:
                print("    " + line)
    r = total.rates()
    print(f"{'total':44} {total.expected:>6} {_pct(r['found']):>7} {_pct(r['unmatched']):>9} "
          f"{_pct(r['certainty']):>9} {_pct(r['issues']):>7} {_pct(r['kind']):>7}")
    print("(* kind right on the found claims: no goal set)")
    verdicts = []
    for key, goal in GOALS.items():
        value = r[key]
        ok = value is None or (value <= goal if key == "unmatched" else value >= goal)
        verdicts.append(f"{key} {'≤' if key == 'unmatched' else '≥'} {goal:.0%}: "
                        f"{'n/a' if value is None else ('PASS' if ok else 'MISS')}")
    print("goals: " + "; ".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
