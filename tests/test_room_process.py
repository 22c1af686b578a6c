"""Running the process (issue 17): deadlines with the time left and overdue answers marked,
who has answered at a glance, shared preferences read with labels, times a browser can put
in its own time zone. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time

from room_helpers import Person, app, postgres_url  # noqa: F401 (fixtures)

ISSUES = "Ceasefire: immediate; phased; none\nSanctions: lifted; eased; kept\nMonitoring: OSCE; UN"


def section(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*id="{element_id}".*?</\1>', html, re.S)
    return found.group(0) if found else ""


def test_a_deadline_shows_the_time_left_then_marks_who_is_overdue(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    south = Person(app).join(mediator.invite("South"))
    tabled = {"ceasefire": "phased", "sanctions": "eased"}  # monitoring left open
    for bad in (-1, 0, 24 * 367, "soon"):
        assert mediator.post("api/drafts", {"options": tabled, "due_in_hours": bad}
                             ).status_code == 422, bad
    for bad in ("soon", "1_0", "８", "٣", "1e-320", "nan", "inf", "-1", "0x10"):
        assert mediator.form("drafts", {"title": "x", "due_in_hours": bad}).status_code == 422
    for bad in (True, "2", [1]):  # JSON: a number of hours, not a string or a boolean
        assert mediator.post("api/drafts", {"options": {}, "due_in_hours": bad}
                             ).status_code == 422, bad
    assert mediator.post("api/drafts", {"title": "One", "options": tabled,
                                        "due_in_hours": 48}).is_success
    due = north.get("api/state").json()["current"]["due"]
    assert not due["passed"] and 47 * 60 < due["minutes_left"] <= 48 * 60
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", due["due"])
    assert "48.0 hours left" in section(north.get("").text, "due")

    assert mediator.post("api/drafts", {"title": "Two", "options": tabled,
                                        "due_in_hours": 0.0002}).is_success  # 0.72 s
    assert "1 min left" in section(mediator.get("").text, "due")
    assert north.post("api/drafts/2/answers", {
        issue: {"verdict": "accept", "comment": ""} for issue in tabled}).is_success
    assert south.post("api/drafts/2/answers", {
        "ceasefire": {"verdict": "reject", "comment": ""}}).is_success
    time.sleep(1.0)  # the deadline passes (a fact of the draft, not a speed measurement)
    assert south.get("api/drafts/2").json()["due"]["passed"] is True
    answered = section(mediator.get("").text, "answered")
    assert "North: answered<" in answered
    assert "South: answered 1 of 2 points (overdue)" in answered
    assert "the deadline has passed" in section(south.get("").text, "due")

    assert mediator.post("api/drafts", {"title": "Three", "options": {}}).is_success
    page = mediator.get("").text
    assert section(page, "due") == ""  # no deadline set
    assert "Every point of this draft is open: nothing to answer." in page


def test_shared_preferences_read_with_labels_and_times_carry_their_zone(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    assert north.post("api/preferences", {"reservation": 0.25, "preferences": {
        "ceasefire": {"salience": 3, "valuations": {"immediate": 0.9, "phased": 0.6, "none": 0},
                      "red_lines": ["none"]}}}).is_success
    assert north.post("api/sharing", ["salience", "valuations", "red_lines"]).is_success
    shared = re.search(r'<details class="shared-view">.*?</details>',
                       mediator.get("").text, re.S).group(0)
    assert "immediate: 0.9" in shared and "phased: 0.6" in shared
    row = re.search(r"<tr><td>Ceasefire</td>.*?</tr>", shared, re.S).group(0)
    assert re.search(r"<td>3(\.0)?</td>", row)
    assert row.endswith("<td>none</td></tr>")  # the red line, by its option's label
    assert "Reservation" not in shared and "0.25" not in shared  # not shared
    assert "{&#34;" not in shared and '{"' not in shared  # no raw JSON
    history = mediator.get("history").text
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', history)


def test_a_memorandum_is_dated_and_carries_the_digest_of_what_it_records(app):
    import hashlib
    import json

    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    observer = Person(app).join(mediator.invite("Press", "observer"))
    assert mediator.post("api/drafts", {"title": "One", "options": {"ceasefire": "phased"},
                                        "texts": {"ceasefire": "From D-day."}}).is_success
    assert north.post("api/drafts/1/answers", {
        "ceasefire": {"verdict": "reject", "comment": "too slow"}}).is_success
    draft = observer.get("api/drafts/1").json()
    record = {k: draft[k] for k in ("number", "title", "points", "published")}
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":"),
                                       ensure_ascii=False).encode()).hexdigest()
    assert draft["sha256"] == digest
    for person in (observer, north, mediator):
        for fmt in ("md", "html"):
            text = person.get(f"drafts/1/memo.{fmt}").text
            assert digest in text and "Published " in text
    answers = {"North": {"ceasefire": {"verdict": "reject", "comment": "too slow"}}}
    answers_digest = hashlib.sha256(json.dumps(answers, sort_keys=True, separators=(",", ":"),
                                               ensure_ascii=False).encode()).hexdigest()
    mine = mediator.get("drafts/1/memo.md").text
    assert "- North, Ceasefire: reject (too slow)" in mine and answers_digest in mine
    assert answers_digest in mediator.get("drafts/1/memo.html").text
    for person in (observer, north):  # answers stay with the mediator
        for fmt in ("md", "html"):
            text = person.get(f"drafts/1/memo.{fmt}").text
            assert "too slow" not in text and "Answers sha256" not in text
    # A revoked seat and the one added in its place may share a name: both answers stay.
    assert mediator.post(f"api/members/{north.state['member']}/revoke").is_success
    again = Person(app).join(mediator.invite("North"))
    assert again.post("api/drafts/1/answers", {
        "ceasefire": {"verdict": "accept", "comment": "fine now"}}).is_success
    both = mediator.get("drafts/1/memo.md").text
    assert f"- North #{north.state['member']}, Ceasefire: reject (too slow)" in both
    assert f"- North #{again.state['member']}, Ceasefire: accept (fine now)" in both


def test_every_form_confirms_what_it_did_and_the_query_carries_no_text(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    press = mediator.invite("Press", "observer")
    steps = [
        (mediator, "drafts", {"title": "One", "option-ceasefire": "phased"},
         "The draft is published"),
        (north, "preferences", {"reservation": "0.1", "salience-ceasefire": "1",
                                "value-ceasefire-phased": "1"}, "Your preferences are saved"),
        (north, "preferences/import", {"shipped": ""}, None),  # nothing to import: refused
        (north, "sharing", {"share": "salience"}, "what the mediator may see is saved"),
        (north, "disclosure", {"disclosure": "delegation"}, "of your demands is saved"),
        (north, "drafts/1/answers", {"verdict-ceasefire": "accept"}, "Your answers are sent"),
    ]
    for person, path, data, confirmed in steps:
        response = person.form(path, data)
        if confirmed is None:
            assert response.status_code == 422, response.text
            continue
        assert response.status_code == 200, (path, response.text)
        assert confirmed in section(response.text, "confirmation"), path
    observer = Person(app).join(press)
    member = observer.state["member"]
    response = mediator.form(f"members/{member}/revoke", {})
    assert "The member is revoked" in section(response.text, "confirmation")
    for hostile in ("<script>alert(1)</script>", "published<b>", "x" * 40):
        page = mediator.get("", params={"done": hostile})
        assert page.status_code in (200, 422)
        assert "<script>alert" not in page.text and "published<b>" not in page.text
        assert section(page.text, "confirmation") == ""
    assert section(mediator.get("").text, "confirmation") == ""


def test_the_concession_picture_shows_each_delegations_answers_across_drafts(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    south = Person(app).join(mediator.invite("South"))
    observer = Person(app).join(mediator.invite("Press", "observer"))
    for title, options in (("One", {"ceasefire": "immediate", "sanctions": "kept"}),
                           ("Two", {"ceasefire": "phased", "sanctions": "eased"})):
        assert mediator.post("api/drafts", {"title": title, "options": options}).is_success
    answers = {1: {"ceasefire": "reject", "sanctions": "reject"},
               2: {"ceasefire": "can-live-with", "sanctions": "accept"}}
    for number, given in answers.items():
        assert north.post(f"api/drafts/{number}/answers", {
            issue: {"verdict": v, "comment": "secret comment"} for issue, v in given.items()
        }).is_success
    picture = mediator.get("api/concessions").json()
    assert picture["drafts"] == [1, 2]
    rows = {d["name"]: d["points"] for d in picture["delegations"]}
    assert rows["North"] == {"ceasefire": ["reject", "can-live-with"],
                             "sanctions": ["reject", "accept"], "monitoring": ["open", "open"]}
    assert rows["South"]["ceasefire"] == [None, None]
    page = mediator.get("concessions").text
    north_table = section(page, f"concessions-{north.state['member']}")
    assert re.search(r"<td>Ceasefire</td><td class=\"v-reject\">R</td>"
                     r"<td class=\"v-can-live-with\">L</td>", north_table)
    assert "secret comment" not in page  # verdicts only
    for person in (north, south, observer):
        assert person.get("api/concessions").status_code == 403
        assert person.get("concessions").status_code == 403


def test_the_history_says_who_did_what_to_whom(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    south = Person(app).join(mediator.invite("South"))
    tabled = {"ceasefire": "phased", "sanctions": "eased", "monitoring": "un"}
    assert mediator.post("api/drafts", {"title": "One", "options": tabled}).is_success
    assert mediator.post("api/drafts", {"title": "Two", "options": tabled,
                                        "versus": 1}).is_success
    assert north.post("api/drafts/2/answers", {
        "ceasefire": {"verdict": "reject", "comment": "", "red_line": True},
        "sanctions": {"verdict": "accept"}}).is_success
    assert north.post("api/drafts/2/whole", {"sign": False, "compared": "worse",
                                             "priorities": ["ceasefire"]}).is_success
    assert south.post("api/drafts/2/answers", {"monitoring": {"verdict": "accept"}}).is_success
    history = section(mediator.get("history").text, "history") or mediator.get("history").text
    for line in ("Mediator</td><td class=\"event event-opened\">opened the negotiation “Talks”",
                 "added North as delegation", "sent an invitation link to North",
                 "North</td><td class=\"event event-signed-in\">joined with the invitation link",
                 "published draft 2, asking how it compares with draft 1",
                 "answered 2 points of draft 2 (1 rejected)",
                 "answered draft 2 as a whole: could not sign; worse than the draft it was "
                 "compared with", "answered 1 point of draft 2"):
        assert line in history, line
    dashboard = section(mediator.get("").text, "dashboard-history")
    assert "Mediator published draft 2, asking how it compares with draft 1" in dashboard
    # a delegation reads its own events and the public ones, in the same words
    own = north.get("history").text
    assert "answered 2 points of draft 2 (1 rejected)" in own
    assert "answered 1 point of draft 2" not in own  # South's
    assert "published draft 1" in own


def test_draft_comparisons_read_the_wording_with_the_plan_comparison(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    for title, option, wording in (
            ("One", "phased", "A ceasefire within 30 days, monitored by the OSCE."),
            ("Two", "phased", "A ceasefire within 60 days, monitored by the United Nations."),
            ("Three", "immediate", "A ceasefire within 60 days, monitored by the United "
                                   "Nations.")):
        assert mediator.form("drafts", {"title": title, "option-ceasefire": option,
                                        "text-ceasefire": wording}).status_code == 200
    wording = section(mediator.get("drafts/2/compare/1").text, "comparison")
    assert "figures:" in wording and "30" in wording and "60" in wording
    assert "names:" in wording and "OSCE" in wording
    assert "<del>30</del>" in wording and "<ins>60</ins>" in wording
    option = section(mediator.get("drafts/3/compare/2").text, "comparison")
    assert "option: phased → immediate" in option and "<del>" not in option
    same = section(mediator.get("drafts/3/compare/3").text, "comparison")
    assert "modified" not in same and "<li>" not in same


def test_the_answer_form_flags_the_delegations_own_red_lines(app):
    mediator = Person(app)
    mediator.open("Talks", ISSUES)
    north = Person(app).join(mediator.invite("North"))
    south = Person(app).join(mediator.invite("South"))
    assert north.post("api/preferences", {"reservation": 0.1, "preferences": {
        "ceasefire": {"salience": 1.0, "red_lines": ["none"],
                      "valuations": {"immediate": 1.0, "phased": 0.5, "none": 0.0}}}}
                      ).is_success
    assert mediator.post("api/drafts", {"options": {"ceasefire": "none",
                                                    "sanctions": "eased"}}).is_success
    form = section(north.get("").text, "answer-form")
    flagged = re.findall(r'<tr class="own-red-line"><td>([^<]*)<', form)
    assert flagged == ["Ceasefire"] and "your red line" in form
    assert 'name="red-line-ceasefire" value="1" checked' not in form  # a hint, not an answer
    # accept on the flagged point with the red-line box ticked: the box counts with reject only
    assert north.form("drafts/1/answers", {"verdict-ceasefire": "accept",
                                           "red-line-ceasefire": "1"}).status_code == 200
    assert north.get("api/drafts/1/answers").json()["answers"][str(north.state["member"])] == {
        "ceasefire": {"verdict": "accept", "comment": ""}}
    assert "your red line" not in section(south.get("").text, "answer-form")  # none entered
