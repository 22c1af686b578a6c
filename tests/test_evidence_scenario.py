"""The scenario half of `accord evidence` (issue 19): which issues and options a claim
bears on, which party speaks, the verdict against the scenario, and the update that adds
claims as evidence without changing a number (docs/evidence-scenario.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from accord.errors import UsageError
from accord.evidence.claims import Claim
from accord.evidence.documents import Document
from accord.evidence.matching import match_points, match_text, party_of
from accord.evidence.update import claim_ref, make_evidence, scenario_claims, update_scenario
from accord.evidence.verdict import judge_claim, judge_issue, overall
from accord.io import dump_scenario, loads_scenario, resolve
from accord.analysis import analyze
from accord.report.content import build_content
from accord.report.html import render_html
from accord.report.markdown import render_markdown
from accord.report.news import article_rows

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "articles"


@pytest.fixture(scope="module")
def scenario():
    return resolve("ukraine-2025")


def article(doc_id: str, outlet: str, date: str, language: str,
            sentences: list[tuple[str, str | None, str, str, tuple[str, ...]]]):
    """A document of the given sentences and one claim per sentence:
    (sentence, actor, speaker, kind, reported_by); certainty `reported`."""
    text = " ".join(s for s, *_ in sentences)
    claims, start = [], 0
    for sentence, actor, speaker, kind, reported_by in sentences:
        claims.append(Claim(document=doc_id, start=start, end=start + len(sentence),
                            text=sentence, speaker=speaker, actor=actor,
                            reported_by=reported_by, certainty="reported", cue=None,
                            kind=kind))
        start += len(sentence) + 1
    return Document(id=doc_id, path=None, outlet=outlet, date=date, language=language,
                    text=text), claims


# Sentences written for this test in our own words (language, sentence, the issues a reader
# takes, the options it names). OWN was used with the development articles to choose the
# option thresholds; UNSEEN was written afterwards and scored once, untouched since.
OWN = [
    ('en', 'Kyiv will not hand over the towns of Kramatorsk and Sloviansk, a senior Ukrainian official said on Tuesday.',
     ('donetsk-remainder',), ()),
    ('en', 'The Kremlin wants the whole of the Donetsk region, including the part still held by Ukrainian forces.',
     ('donetsk-remainder',), ('withdraw-to-russia',)),
    ('en', 'Washington is ready to recognise Crimea as Russian de facto, according to two people familiar with the draft.',
     ('crimea-status',), ('de-facto-russian',)),
    ('en', 'Zelensky said Ukraine would never legally recognise the annexation of Crimea.',
     ('crimea-status',), ()),
    ('en', 'Under the American text, the front lines in Kherson and Zaporizhzhia would be frozen where they stand.',
     ('south-line',), ('freeze-line',)),
    ('en', "European officials insist that Ukraine's armed forces must not be capped below 800,000 soldiers.",
     ('army-size',), ('cap-800k',)),
    ('en', 'Moscow is pushing for strict limits on the size of the Ukrainian army.',
     ('army-size',), ('tight-ceiling',)),
    ('en', 'Ukraine would have to enshrine in its constitution that it will never join NATO, the draft says.',
     ('nato-membership',), ('constitutional-ban',)),
    ('en', 'Britain and France said a multinational reassurance force could be deployed in Ukraine after a ceasefire.',
     ('foreign-troops',), ('no-permanent-nato-peacetime',)),
    ('en', "Kyiv is asking for a guarantee modelled on NATO's Article 5, backed by the United States.",
     ('security-guarantees',), ('us-article5-like',)),
    ('en', 'Russian negotiators want sanctions lifted in full as part of any settlement.',
     ('sanctions-relief',), ('lift-all',)),
    ('en', "EU diplomats said the bloc's sanctions would be eased only gradually and could snap back if Russia breaks the deal.",
     ('sanctions-relief',), ('phased-snapback',)),
    ('en', 'The Commission wants the immobilised Russian central bank reserves to fund a reparations loan for Kyiv.',
     ('frozen-assets', 'reparations'), ()),
    ('en', 'Ukraine wants those responsible for war crimes to face a special tribunal.',
     ('amnesty',), ('tribunal',)),
    ('en', 'The plan foresees presidential elections in Ukraine within 100 days of signing.',
     ('elections',), ('within-100-days',)),
    ('en', 'Moscow again demanded protections for the Russian language and the Ukrainian Orthodox Church.',
     ('language-church',), ()),
    ('en', 'The Zaporizhzhia nuclear plant would be restarted under IAEA supervision, with its electricity shared between the two countries.',
     ('znpp',), ('iaea-restart-shared',)),
    ('en', "Brussels said Ukraine's path to EU membership was not up for negotiation with Moscow.",
     ('eu-membership',), ()),
    ('en', 'Kyiv has called for an unconditional ceasefire before any talks on territory.',
     ('ceasefire',), ('unconditional-first',)),
    ('en', "A US-led mission would monitor the ceasefire together with Ukraine's partners.",
     ('monitoring', 'ceasefire'), ()),
    ('en', 'Witkoff met Putin for five hours in the Kremlin on Thursday.',
     (), ()),
    ('en', 'The spokesman declined to say when the next round of talks would take place.',
     (), ()),
    ('en', 'Officials in Kyiv described the atmosphere as constructive.',
     (), ()),
    ('en', 'The meeting in Abu Dhabi was arranged at short notice, according to Reuters.',
     (), ()),
    ('en', 'The president thanked the American delegation for its efforts.',
     (), ()),
    ('en', 'Several European leaders spoke by phone on Sunday evening to coordinate their response.',
     (), ()),
    ('it', 'Secondo fonti diplomatiche, Mosca pretende il ritiro delle truppe ucraine dalle città di Kramatorsk e Sloviansk.',
     ('donetsk-remainder',), ('withdraw-to-russia',)),
    ('it', 'Kiev non riconoscerà mai la Crimea come territorio russo, ha ribadito il ministro degli Esteri.',
     ('crimea-status',), ()),
    ('it', "Il piano americano prevede un tetto di 600 mila militari per l'esercito ucraino.",
     ('army-size',), ('cap-600k',)),
    ('it', 'Gli europei chiedono che le forze armate ucraine possano contare su 800.000 effettivi in tempo di pace.',
     ('army-size',), ('cap-800k',)),
    ('it', 'La Russia non accetterà truppe europee sul territorio ucraino, ha detto Lavrov.',
     ('foreign-troops',), ()),
    ('it', "Zelensky chiede garanzie di sicurezza sul modello dell'articolo 5 della Nato.",
     ('security-guarantees',), ('us-article5-like',)),
    ('it', 'Bruxelles vuole che i beni russi congelati restino bloccati finché Mosca non pagherà i danni di guerra.',
     ('frozen-assets', 'reparations'), ('frozen-until-compensation',)),
    ('it', "Il testo prevederebbe un'amnistia generale per tutti i crimini commessi durante la guerra.",
     ('amnesty',), ('full-amnesty',)),
    ('it', 'Le elezioni presidenziali in Ucraina si terrebbero entro cento giorni dalla firma.',
     ('elections',), ('within-100-days',)),
    ('it', 'La centrale nucleare di Zaporizhzhia dovrebbe tornare sotto il controllo ucraino secondo la controproposta europea.',
     ('znpp',), ('ukrainian-control',)),
    ('it', 'Mosca chiede la revoca di tutte le sanzioni occidentali.',
     ('sanctions-relief',), ('lift-all',)),
    ('it', 'Il Cremlino vuole che il russo diventi lingua ufficiale in Ucraina.',
     ('language-church',), ('russian-official',)),
    ('it', 'Per Kiev il cessate il fuoco deve venire prima di qualsiasi discussione sui territori.',
     ('ceasefire',), ('unconditional-first',)),
    ('it', "L'incontro si è svolto in un clima cordiale, riferiscono fonti vicine alla delegazione.",
     (), ()),
    ('it', 'Il portavoce del Cremlino non ha voluto commentare le indiscrezioni.',
     (), ()),
    ('it', 'Il presidente americano ha ricevuto a Mar-a-Lago i negoziatori ucraini.',
     (), ()),
    ('it', 'Secondo il quotidiano, la trattativa potrebbe durare ancora diverse settimane.',
     (), ()),
    ('it', 'Il ministro degli Esteri turco ha offerto Istanbul come sede dei prossimi colloqui.',
     (), ()),
]

# Written after the matcher was tuned and scored once, untouched since (the unseen check).
UNSEEN = [
    ('en', "Russia's foreign minister said Moscow would accept nothing less than Ukraine's full withdrawal from Zaporizhzhia and Kherson regions.",
     ('south-line',), ('full-withdrawal',)),
    ('en', "A Western diplomat said the Americans had floated handing Ukraine's remaining Donbas towns to a demilitarised zone.",
     ('donetsk-remainder',), ('withdraw-to-buffer',)),
    ('en', 'Kyiv insists its army must be able to keep at least 800,000 personnel.',
     ('army-size',), ('cap-800k',)),
    ('en', 'The Kremlin reiterated that Ukraine must renounce any ambition to join the Atlantic alliance.',
     ('nato-membership',), ()),
    ('en', 'Polish officials said European soldiers could be stationed in western Ukraine as part of a reassurance mission.',
     ('foreign-troops',), ()),
    ('en', 'Washington is offering a security guarantee that would lapse if Ukraine struck Moscow.',
     ('security-guarantees',), ('conditional-us',)),
    ('en', 'The EU will keep its sanctions on Russia until a lasting peace is in place, the foreign policy chief said.',
     ('sanctions-relief',), ('after-sustained-peace',)),
    ('en', 'Belgium is reluctant to use the Russian central bank funds held at Euroclear.',
     ('frozen-assets',), ()),
    ('en', 'Ukrainian officials want Russia to pay reparations for the destruction caused by the invasion.',
     ('reparations',), ('russia-compensates',)),
    ('en', 'The draft would grant amnesty to all combatants for acts committed during the war.',
     ('amnesty',), ('full-amnesty',)),
    ('en', 'Zelensky said elections could only be held once martial law is lifted and security is guaranteed.',
     ('elections',), ()),
    ('en', 'The IAEA chief said the Zaporizhzhia plant should not be restarted while fighting continues nearby.',
     ('znpp',), ()),
    ('en', 'The plan promises Ukraine short-term preferential access to the European market while its EU bid is assessed.',
     ('eu-membership',), ('eligible',)),
    ('en', 'Moscow says a truce is only possible after Ukrainian troops leave the four annexed regions.',
     ('ceasefire',), ('after-withdrawal',)),
    ('en', 'A peace council chaired by the US president would oversee implementation of the deal.',
     ('monitoring',), ('us-russia-council',)),
    ('en', 'The two envoys had lunch together before the afternoon session.',
     (), ()),
    ('en', 'Reporters waited outside the hotel for several hours.',
     (), ()),
    ('en', 'The Ukrainian delegation was led by the head of the presidential office.',
     (), ()),
    ('en', 'The White House press secretary said the president was optimistic.',
     (), ()),
    ('en', 'Russian state television gave the talks only a brief mention.',
     (), ()),
    ('en', 'Markets in Moscow rose on news of the meeting.',
     (), ()),
]


def issue_scores(cases, scenario) -> tuple[float, float]:
    """(share of issue-bearing sentences with a right issue, share of sentences bearing on
    none given an issue) — the README's issue score."""
    bearing = hits = none = extra = 0
    for language, sentence, issues, _ in cases:
        found, _ = match_points(sentence, language, scenario)
        if issues:
            bearing, hits = bearing + 1, hits + bool(set(issues) & set(found))
        else:
            none, extra = none + 1, extra + bool(found)
    return hits / max(bearing, 1), extra / max(none, 1)


def development_cases() -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    cases = {}
    for path in sorted(ARTICLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        language = data["document"]["language"]
        for claim in data["claims"]:  # a sentence counts once (README: once per sentence)
            cases.setdefault(claim["sentence"], (language, claim["sentence"],
                                                 tuple(claim["issues"] or ()),
                                                 tuple(claim.get("options") or ())))
    return list(cases.values())


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="the development articles are not here")
def test_issues_on_the_development_articles(scenario):
    right, extra = issue_scores(development_cases(), scenario)
    assert right >= 0.7 and extra <= 0.3, (right, extra)


@pytest.mark.parametrize("cases", [OWN, UNSEEN], ids=["own", "unseen"])
def test_issues_on_our_own_sentences(scenario, cases):
    right, extra = issue_scores(cases, scenario)
    assert right >= 0.7 and extra <= 0.35, (right, extra)


@pytest.mark.parametrize(("language", "sentence", "issue", "option"), [
    ("en", "the cap of 600,000 troops on Ukraine's army", "army-size", "cap-600k"),
    ("en", "a counter-proposal that would allow Ukraine a peacetime army of 800,000",
     "army-size", "cap-800k"),
    ("it", "un tetto di 600 mila militari per l'esercito ucraino", "army-size", "cap-600k"),
    ("it", "forze armate ucraine di 800.000 effettivi in tempo di pace", "army-size",
     "cap-800k"),
    ("en", "the front lines in Kherson and Zaporizhzhia would be frozen where they stand",
     "south-line", "freeze-line"),
    ("it", "Zelensky chiede garanzie di sicurezza sul modello dell'articolo 5 della Nato",
     "security-guarantees", "us-article5-like"),
])
def test_options_named_by_figures_and_concepts(scenario, language, sentence, issue, option):
    found = match_text(sentence, language, scenario)
    assert found.issues[0] == issue
    assert found.options[issue][0] == option


def test_a_rejection_or_a_dropped_text_names_no_option(scenario):
    issues, options = match_points("According to the Financial Times, the cap of 600,000 "
                                   "troops on Ukraine's army has been removed.", "en", scenario)
    assert issues[0] == "army-size" and options == []


def test_options_are_kept_by_issue(scenario):
    """`de-facto-russian` is an option of two issues: the match says of which."""
    found = match_text("Washington is ready to recognise Crimea as Russian de facto.", "en",
                       scenario)
    assert found.issues[0] == "crimea-status"
    assert found.options == {"crimea-status": ("de-facto-russian",)}


@pytest.mark.parametrize(("actor", "speaker", "party"), [
    ("russia", "Cremlino", "russia"), ("us", "Steve Witkoff", "us"),
    ("ukraine", "Volodymyr Zelensky", "ukraine"), ("europe", "the E3", "europe"),
    (None, "the Russian Federation's envoy", "russia"), (None, "United States", "us"),
    ("turkey", "Recep Tayyip Erdogan", None), (None, "Financial Times", None),
    (None, "the revised text", None),
])
def test_party_of(scenario, actor, speaker, party):
    assert party_of(actor, speaker, scenario) == party


def test_verdicts(scenario):
    """Russia's estimate on army-size: tight-ceiling best, no-cap a red line."""
    def verdict(party, issue, options, kind="demand"):
        return judge_issue(scenario, party, issue, options, kind).verdict

    assert verdict("russia", "army-size", ("tight-ceiling",)) == "supports"
    assert verdict("russia", "army-size", ("no-cap",)) == "contradicts"
    assert verdict("russia", "army-size", ("cap-800k",)) == "contradicts"
    assert verdict("russia", "army-size", ("no-cap",), "denial") == "supports"
    assert verdict("russia", "army-size", ("tight-ceiling",), "denial") == "contradicts"
    assert verdict("russia", "army-size", ()) is None
    assert verdict("russia", "army-size", ("tight-ceiling",), "meeting") is None
    assert verdict("europe", "army-size", ("cap-800k",), "proposal") == "supports"


def test_new_when_the_scenario_holds_nothing(scenario):
    russia = scenario.party("russia")
    preferences = {k: v for k, v in russia.preferences.items() if k != "znpp"}
    parties = tuple(p.model_copy(update={"preferences": preferences}) if p.id == "russia"
                    else p for p in scenario.parties)
    thinner = scenario.model_copy(update={"parties": parties})
    verdicts = judge_claim(thinner, "russia", ["znpp"], {"znpp": ["russian-operated"]},
                           "demand")
    assert overall(verdicts) == "new"
    assert judge_claim(thinner, None, ["znpp"], {}, "demand") == []


def numbers(value, path=()):
    """Every number in plain data, by path, leaving out the evidence lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("evidence", "sources"):
                yield from numbers(item, (*path, key))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from numbers(item, (*path, k))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, value


NEWS = [
    ("Intanto Mosca continua a chiedere che l'Ucraina si ritiri da tutto il Donbass, "
     "compresa la parte della regione di Donetsk ancora sotto il controllo di Kiev.",
     "russia", "Mosca", "demand", ()),
    ("Dal Cremlino nessun commento: il portavoce Dmitry Peskov ha preferito non rispondere.",
     "russia", "Dmitry Peskov", "no-comment", ()),
    ("Secondo Reuters, Mosca sarebbe pronta ad accettare un esercito ucraino di 800.000 "
     "effettivi in tempo di pace.", "russia", "Mosca", "demand", ("Reuters",)),
    ("Erdogan si è detto pronto a ospitare un nuovo round di trattative.", "turkey",
     "Erdogan", "proposal", ()),
]


@pytest.fixture(scope="module")
def updated(scenario):
    document, claims = article("it-news-1", "Gazzetta del Mattino", "2025-11-19T09:30:00",
                               "it", NEWS)
    new, contradictions = update_scenario(scenario, claims, [document])
    return document, claims, new, contradictions


def test_update_lists_a_contradiction_and_changes_no_number(scenario, updated):
    document, claims, new, contradictions = updated
    assert [(c.party, c.issue, c.options) for c in contradictions] == [
        ("russia", "army-size", ("cap-800k",))]
    assert contradictions[0].ref == claim_ref(claims[2])
    assert "tight-ceiling" in contradictions[0].estimate
    before = dict(numbers(scenario.model_dump(mode="json")))
    after = dict(numbers(new.model_dump(mode="json")))
    assert before == after
    for party_before, party_after in zip(scenario.parties, new.parties):
        for issue, preference in party_before.preferences.items():
            kept = party_after.preferences[issue]
            assert (kept.salience, kept.valuations, kept.red_lines, kept.certainty) == (
                preference.salience, preference.valuations, preference.red_lines,
                preference.certainty)


def test_update_adds_evidence_where_the_claims_bear(scenario, updated):
    document, claims, new, _ = updated
    russia_before, russia = scenario.party("russia"), new.party("russia")
    added = russia.preferences["donetsk-remainder"].evidence[
        len(russia_before.preferences["donetsk-remainder"].evidence):]
    assert len(added) == 1
    evidence = added[0]
    assert (evidence.outlet, evidence.date, evidence.certainty.value) == (
        "Gazzetta del Mattino", "2025-11-19", "reported")
    assert evidence.paraphrase == claims[0].text
    assert evidence.ref == f"article:it-news-1#0-{len(claims[0].text)}"
    assert document.text[claims[0].start:claims[0].end] == claims[0].text
    army = russia.preferences["army-size"].evidence[-1]
    assert army.corroborated_by == ("Reuters",)
    refs = {e.ref for p in new.parties for pref in p.preferences.values() for e in pref.evidence}
    assert claim_ref(claims[1]) not in refs  # a no-comment is no evidence
    assert claim_ref(claims[3]) not in refs  # Turkey is no party
    again, _ = update_scenario(new, claims, [document])
    assert again == new  # nothing is added twice


def test_the_written_yaml_round_trips(updated):
    _, _, new, _ = updated
    text = dump_scenario(new)
    loaded = loads_scenario(text, "<updated>")
    assert loaded == new
    assert dump_scenario(loaded) == text


def test_the_cli_validates_analyses_and_reports_the_update(updated, tmp_path):
    from typer.testing import CliRunner

    from accord.cli.app import app
    from accord.io import save_scenario

    _, claims, new, _ = updated
    path = tmp_path / "updated.yaml"
    save_scenario(new, path)
    runner = CliRunner()
    for command in (["validate", str(path)], ["analyze", str(path)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Intanto Mosca continua a chiedere" in out.read_text(encoding="utf-8")


def test_claims_of_unknown_documents_or_certainty_are_clear_errors(scenario):
    document, claims = article("d", "Outlet", "2025-11-19", "en",
                               [("Russia wants all sanctions lifted.", "russia", "Russia",
                                 "demand", ())])
    with pytest.raises(UsageError, match="names document 'd'"):
        update_scenario(scenario, claims, [])
    odd = replace(claims[0], certainty="rumoured")
    with pytest.raises(UsageError, match="certainty 'rumoured'"):
        make_evidence(odd, document)


def test_the_report_section_shows_the_news_and_escapes_everything(scenario):
    sentence = "Russia wants <script>alert(1)</script> | all sanctions lifted."
    document, claims = article("d<1>", "Out|let & <Co>", "2025-11-19", "en",
                               [(sentence, "russia", "Speaker <b>", "demand", ("R<x>",))])
    new, _ = update_scenario(scenario, claims, [document])
    rows = article_rows(new)
    assert {(r.speaker, r.outlets) for r in rows} == {("Speaker <b>", "Out|let & <Co>, R<x>")}
    assert scenario.issue("sanctions-relief").title in {r.issue for r in rows}
    new = new.model_copy(update={"title": "Talks <img src=x onerror=alert(2)>"})
    analysis = analyze(new)
    content = build_content(analysis)
    page = render_html(content)
    section = page[page.index('<section id="news"'):page.index('<section id="sources"')]
    assert "What the sources say" in section
    assert "<script>" not in section and "&lt;script&gt;" in section
    assert "<b>" not in section and "Out|let &amp; &lt;Co&gt;" in section
    markdown = render_markdown(content)
    assert "<img" not in markdown and "&lt;img" in markdown.splitlines()[0]
    row = next(line for line in markdown.splitlines() if "alert(1)" in line)
    assert "<script>" not in row and "\\|" in row

def test_a_sentence_that_refers_back_bears_on_the_points_before_it(scenario):
    """"The plan" names no point of its own: it is the plan the article was about."""
    document, claims = article("loan", "Ledger", "2025-12-04", "en", [
        ("The Commission proposed a loan to Ukraine backed by the frozen Russian assets.",
         "europe", "The Commission", "proposal", ()),
        ("Moscow called the plan illegal.", "russia", "Moscow", "statement", ()),
        ("Moscow called the weather cold.", "russia", "Moscow", "statement", ()),
    ])
    first, second, third = scenario_claims(scenario, claims, [document])
    assert "frozen-assets" in first.issues
    assert second.issues == first.issues and second.options == {}
    assert third.issues == ()  # no back-reference, no point
