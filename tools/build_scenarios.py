"""Build the shipped `ukraine-2025` scenario from the paraphrased data in ../shared/data/plans.

    python tools/build_scenarios.py [--plans ../shared/data/plans]

Reads `ukraine-2025-estimates.yaml` (issues, options, drafts, party estimates),
`parties.yaml` (the positions each estimate cites) and the plan files (titles, dates,
proposers, sources and point paraphrases), resolves every source reference into an
Evidence record, and writes `src/accord/data/scenarios/ukraine-2025.yaml`. It also copies
the plan files into `src/accord/data/plans/` (they may be shipped; see SOURCES.md there).
No number of the estimates is changed: see docs/ukraine-2025.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "accord" / "data"

CERTAINTY = {"stated-officially": "official", "reported": "reported", "inferred": "estimate",
             "estimate": "estimate"}
PLAN_FILES = [
    "ukraine-28-point-2025-11", "europe-counterproposal-2025-11", "europe-24-point-2025-11",
    "ukraine-19-point-geneva-2025-11", "russia-conditions-2024-06", "russia-memorandum-2025-06",
    "zelensky-peace-formula-2022-11", "istanbul-communique-2022-03", "gaza-20-point-2025-09",
]


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def iso(value) -> str | None:
    return None if value is None else str(value)


def clean(record: dict) -> dict:
    """Drop empty values so the YAML stays readable."""
    return {k: v for k, v in record.items() if v not in (None, [], {}, "")}


def plan_certainty(plan: dict) -> str:
    status = str(plan.get("status", ""))
    return "reported" if ("leak" in status or "not-published" in status) else "official"


def plan_url(plan: dict) -> str | None:
    return next((s["url"] for s in plan.get("sources", []) if s.get("url")), None)


class Sources:
    """Turns the estimates' source references into Evidence records."""

    def __init__(self, parties: dict, plans: dict[str, dict], background: list[dict]):
        self.positions = [p for p in parties["positions"] if p["scope"] == "ukraine"]
        self.plans = plans
        self.background = {b["id"]: b for b in background}

    def evidence(self, ref: dict) -> dict:
        if "plan" in ref:
            return self._plan(ref["plan"])
        if "background" in ref:
            return self._background(ref["background"])
        return self._position(ref)

    def _plan(self, text: str) -> dict:
        plan_id, _, n = text.partition("#")
        plan = self.plans[plan_id]
        point = next((p for p in plan["points"] if str(p["n"]) == n), None)
        if point is None:
            raise SystemExit(f"source {text}: no point {n} in {plan_id}")
        return clean({"outlet": f"{plan['title']}, point {n}", "date": iso(plan.get("date")),
                      "url": plan_url(plan), "paraphrase": point["text"],
                      "certainty": plan_certainty(plan), "ref": f"plan:{text}"})

    def _background(self, key: str) -> dict:
        item = self.background[key]
        unverified = "unverified" in str(item.get("status", ""))
        return clean({"outlet": item["outlet"], "date": iso(item.get("date")),
                      "paraphrase": item["text"],
                      "certainty": "alleged" if unverified else "reported",
                      "ref": f"background:{key}"})

    def _position(self, ref: dict) -> dict:
        matches = [p for p in self.positions if p["party"] == ref["party"]
                   and p["topic"] == ref["topic"] and p["source"]["outlet"] == ref["outlet"]]
        if not matches:
            raise SystemExit(f"source {ref}: not found in parties.yaml")
        entry = matches[0]
        return clean({"outlet": entry["source"]["outlet"], "date": iso(entry["source"]["date"]),
                      "paraphrase": entry["position"],
                      "certainty": CERTAINTY[entry["certainty"]],
                      "ref": f"parties.yaml:{entry['party']}/{entry['topic']}/{entry['as_of']}"})


def issue_record(issue: dict) -> dict:
    return clean({
        "id": issue["id"], "title": issue["title"], "topic": issue["topic"],
        "secondary_topics": issue.get("secondary_topics"),
        "options": [clean({"id": o["id"], "label": o["label"], "position": o["position"],
                           "proposed_by": o.get("proposed_by")}) for o in issue["options"]],
        "default_if_silent": issue.get("default_if_silent"), "note": issue.get("note"),
        "plan_refs": issue.get("plan_refs"),
    })


def party_record(party: dict, sources: Sources) -> dict:
    preferences = {}
    for issue_id, entry in party["issues"].items():
        preferences[issue_id] = clean({
            "salience": entry["salience"], "valuations": entry["valuations"],
            "red_lines": entry.get("red_line") or [],
            "certainty": CERTAINTY[entry["certainty"]],
            "evidence": [sources.evidence(ref) for ref in entry.get("sources", [])],
            "rationale": entry.get("rationale"),
        })
    return clean({
        "id": party["id"], "name": party["name"], "capability": party["capability"],
        "reservation": party["reservation"],
        "capability_rationale": party.get("capability_rationale"),
        "reservation_rationale": party.get("reservation_rationale"),
        "preferences": preferences,
    })


def draft_record(draft: dict, plan: dict) -> dict:
    return clean({
        "id": plan["id"], "title": plan["title"], "date": iso(plan.get("date")),
        "proposer": plan.get("proposer"), "language": plan.get("language", "en"),
        "status": plan.get("status"),
        "sources": [clean({"outlet": s["outlet"], "date": iso(s.get("date")), "url": s.get("url"),
                           "paraphrase": s.get("note"), "certainty": plan_certainty(plan)})
                    for s in plan.get("sources", [])],
        "points": [clean({"n": p["n"], "text": p["text"], "topic": p.get("topic")})
                   for p in plan.get("points", [])],
        "options": draft["options"], "notes": draft.get("notes"), "note": draft.get("note"),
    })


def build_ukraine(plans_dir: Path) -> dict:
    estimates = read(plans_dir / "ukraine-2025-estimates.yaml")
    plans = {name: read(plans_dir / f"{name}.yaml") for name in PLAN_FILES}
    header = estimates["header"]
    sources = Sources(read(plans_dir / "parties.yaml"), plans, header["background"])
    description = (header["method"].strip() + "\n\nCaveats:\n" +
                   "\n".join(f"- {c}" for c in header["caveats"]) +
                   "\n\nEvery salience, valuation, red line, reservation and capability is an "
                   "analyst's estimate (judgement, not fact); each position's certainty and "
                   "sources are kept from the estimates file.")
    return {
        "accord": 1,
        "id": "ukraine-2025",
        "title": "Russia-Ukraine war: the November 2025 peace plans (US, Russia, Ukraine, Europe)",
        "description": description,
        "as_of": iso(header["as_of"]),
        "sources": [sources.evidence({"background": b["id"]}) for b in header["background"]],
        "issues": [issue_record(i) for i in estimates["issues"]],
        "parties": [party_record(p, sources) for p in estimates["parties"]],
        "drafts": [draft_record(d, plans[d["plan"]]) for d in estimates["drafts"]],
    }


def write(path: Path, data: dict, header: str) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + text, encoding="utf-8")


UKRAINE_HEADER = """\
# ukraine-2025: the shipped default scenario of accord.
# GENERATED by tools/build_scenarios.py from shared/data/plans (ukraine-2025-estimates.yaml,
# parties.yaml and the plan files). Paraphrases written for the accord project, never
# quotations; every position cites its sources. All numbers are one analyst's estimates.
# See docs/ukraine-2025.md. Do not edit by hand: change the builder or its inputs.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=ROOT.parent / "shared" / "data" / "plans")
    args = parser.parse_args()
    write(OUT / "scenarios" / "ukraine-2025.yaml", build_ukraine(args.plans), UKRAINE_HEADER)
    (OUT / "plans").mkdir(exist_ok=True)
    for name in PLAN_FILES + ["parties"]:
        shutil.copyfile(args.plans / f"{name}.yaml", OUT / "plans" / f"{name}.yaml")
    print(f"wrote {OUT / 'scenarios' / 'ukraine-2025.yaml'} and {len(PLAN_FILES) + 1} plan files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
