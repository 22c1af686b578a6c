"""`accord.compare` against what is known: the revisions' own `base_n` / `change`
annotations, where the 28 points first appeared, and Italian paraphrases."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from accord.compare import agreement, diff_plans, earlier_plans, first_appearances
from accord.io.plans import builtin_plans, load_builtin_plan
from accord.model.plan import AnnotatedPoint, Plan

BASE = "ukraine-28-point-2025-11"
REVISIONS = ["europe-counterproposal-2025-11", "ukraine-19-point-geneva-2025-11"]
EXPECTED = {"same": {"carried-over"}, "modified": {"modified"}, "deleted": {"dropped"},
            "new": {"new"}, "bracketed": {"bracketed"}, "moved": {"moved", "moved-out"}}


def _annotations(plan_id: str) -> dict[str, tuple[str | None, str]]:
    """`n → (base_n, change)` read straight from the shipped YAML (not via our loader)."""
    raw = (resources.files("accord.data") / "plans" / f"{plan_id}.yaml").read_text("utf-8")
    return {str(p["n"]): (None if p.get("base_n") is None else str(p["base_n"]), p["change"])
            for p in yaml.safe_load(raw)["points"] if "change" in p}


@pytest.mark.parametrize("revision", REVISIONS)
def test_alignment_and_classification_agree_with_the_annotations(revision):
    diff = diff_plans(load_builtin_plan(BASE), load_builtin_plan(revision))
    truth = _annotations(revision)
    assert len(truth) == len(diff.b.points)
    agree = 0
    for entry in diff.entries:
        if entry.b is None:
            continue
        base, change = truth[str(entry.b.n)]
        linked = [str(p.n) for p in entry.a]
        agree += (base in linked if base else not linked) and entry.status in EXPECTED[change]
    assert agree / len(truth) >= 0.95, (revision, agree, len(truth))
    assert agreement(diff).both == agree  # the library's own measure says the same


def test_the_counter_proposal_is_classified_point_by_point():
    diff = diff_plans(load_builtin_plan(BASE), load_builtin_plan(REVISIONS[0]))
    assert diff.counts()["carried-over"] == 11 and diff.counts()["modified"] == 15
    army = next(e for e in diff.entries if e.b is not None and e.b.n == 6)
    assert [c.describe() for c in army.changes.figures] == ["600,000 → 800,000"]
    europe = next(e for e in diff.entries if e.b is not None and e.b.n == 2)
    assert europe.changes.names_removed == ("Europe",)
    assert europe.changes.names_added == ("NATO",)


def test_a_list_of_reported_changes_leaves_the_rest_not_mentioned():
    diff = diff_plans(load_builtin_plan(BASE), load_builtin_plan(REVISIONS[1]))
    assert diff.changes_only
    assert diff.counts()["dropped"] == 2  # the two reported deletions, nothing else
    assert diff.counts()["not-mentioned"] > 10


def test_every_point_of_the_28_has_a_first_appearance_or_is_new():
    plan = load_builtin_plan(BASE)
    earlier = earlier_plans(plan, builtin_plans())
    assert {p.id for p in earlier} == {"istanbul-communique-2022-03",
                                       "zelensky-peace-formula-2022-11",
                                       "russia-conditions-2024-06",
                                       "russia-memorandum-2025-06", "gaza-20-point-2025-09"}
    origins = first_appearances(plan, earlier)
    assert [o.point.n for o in origins] == list(range(1, 29))
    first = {o.point.n: (o.first.plan.id, o.first.point.n) if o.first else None
             for o in origins}
    assert first[6] == ("istanbul-communique-2022-03", 11)        # force ceilings, 2022
    assert first[3] == ("russia-conditions-2024-06", 2)           # NATO, June 2024
    assert first[19] == ("zelensky-peace-formula-2022-11", 1)     # Zaporizhzhia plant
    assert first[24] == ("zelensky-peace-formula-2022-11", 4)     # all-for-all exchange
    assert first[25] == ("russia-memorandum-2025-06", 13)         # elections within 100 days
    assert first[12] == ("gaza-20-point-2025-09", 10)             # the Gaza development plan
    for new in (4, 9, 14):                                        # Russia-NATO talks via the
        assert first[new] is None                                 # US, jets in Poland, $100bn
    for origin in origins:                                        # earliest first
        dates = [a.plan.date for a in origin.appearances]
        assert dates == sorted(dates)


ITALIAN = [  # (point of the 28 it paraphrases, topic, our own Italian paraphrase)
    (25, "elections-governance", "In Ucraina si vota entro cento giorni."),
    (6, "military-limits", "L'esercito ucraino non potrà superare i 600.000 effettivi."),
    (19, "nuclear-energy", "La centrale nucleare di Zaporizhzhia riparte sotto il controllo "
     "dell'AIEA e l'elettricità prodotta è divisa a metà tra Russia e Ucraina."),
    (7, "alliances", "Kiev rinuncia per sempre all'ingresso nella Nato e lo scrive nella "
     "Costituzione; l'Alleanza modifica il proprio statuto."),
    (21, "territory", "Crimea, Luhansk e Donetsk riconosciute di fatto come russe, anche dagli "
     "Stati Uniti; a Kherson e Zaporizhzhia il fronte viene congelato lungo la linea di "
     "contatto."),
    (26, "amnesty-justice", "Amnistia generale per tutte le parti per quanto commesso durante "
     "la guerra, con rinuncia a ogni futura rivendicazione."),
    (24, "prisoners", "Scambio di tutti i prigionieri e delle salme secondo la formula «tutti "
     "per tutti», ritorno dei civili detenuti e dei bambini, ricongiungimento delle famiglie."),
    (14, "frozen-assets", "Cento miliardi di dollari di beni russi congelati finanziano la "
     "ricostruzione guidata dagli Stati Uniti, che ne incassano metà dei profitti; l'Europa "
     "aggiunge altri 100 miliardi."),
    (28, "ceasefire", "Il cessate il fuoco scatta non appena tutte le parti accettano il "
     "memorandum e le truppe si ritirano sulle posizioni concordate."),
    (13, "sanctions", "La Russia rientra nell'economia mondiale: revoca graduale delle sanzioni "
     "e invito a tornare nel G8."),
    (23, "economy-reconstruction", "Mosca non ostacola l'uso commerciale del Dnipro da parte "
     "di Kiev e il grano può circolare liberamente nel Mar Nero."),
    (1, "sovereignty", "Viene ribadita la piena sovranità ucraina."),
]


@pytest.mark.parametrize("with_topics", [True, False])
def test_italian_paraphrases_align_with_the_english_plan(with_topics):
    italian = Plan(id="piano-it", language="it", points=tuple(
        AnnotatedPoint(n=k + 1, text=text, topic=topic if with_topics else None)
        for k, (_, topic, text) in enumerate(ITALIAN)))
    diff = diff_plans(load_builtin_plan(BASE), italian)
    for k, (expected, _, text) in enumerate(ITALIAN):
        assert [p.n for p in diff.counterparts(k + 1)][:1] == [expected], text
