"""The JSON API: the same services as the pages, for programs and agents."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from accord.room import memo, validation, web
from accord.room import services as rules
from accord.room.web import JsonBody

router = APIRouter()


@router.get("/n/{n}/api/state")
def api_state(request: Request, n: str):
    """Who I am, who takes part, the issues, the decision rule (public; null: unanimity),
    every draft's number and title, and the current draft's text (earlier texts:
    api/drafts/{k})."""
    with web.signed_in(request, n, core=True) as (s, member, csrf):
        listed, current = rules.draft_list_and_current(s, member)
        opened = rules.negotiation(s, n)
        return JSONResponse({
            "role": member.role, "member": member.id, "name": member.name, "csrf": csrf,
            "roster": rules.roster(s, member), "issues": opened.issues, "rule": opened.rule,
            "drafts": listed,
            "current": _draft_json(current) if current else None})


def _draft_json(draft) -> dict:
    return {"number": draft.number, "title": draft.title, "points": draft.points,
            "published": draft.published_at.isoformat(timespec="seconds"),
            "due": rules.answers_due(draft), "versus": draft.versus}


@router.get("/n/{n}/api/drafts/{number}")
def api_draft(request: Request, n: str, number: validation.DbInt):
    """One draft's text, with the sha256 its memorandum carries (not in api/state: the
    busiest read need not hash the draft each time)."""
    with web.signed_in(request, n, core=True) as (s, member, _):
        found = rules.draft(s, member, number)
        return JSONResponse(_draft_json(found) | {"sha256": memo.draft_digest(found)})


@router.get("/n/{n}/api/preferences/{member_id}")
def api_preferences(request: Request, n: str, member_id: validation.DbInt):
    with web.signed_in(request, n) as (s, member, _):
        return {"preferences": rules.preferences_of(s, member, member_id)}


@router.post("/n/{n}/api/preferences")
def api_set_preferences(request: Request, n: str, body: validation.PreferencesBody):
    with web.signed_in(request, n, write=True) as (s, member, _):
        return {"preferences": rules.set_preferences(s, member, body.model_dump(mode="json"))}


@router.post("/n/{n}/api/sharing", openapi_extra=validation.SHARING_JSON)
def api_sharing(request: Request, n: str, body: JsonBody):
    if not isinstance(body, list):
        raise rules.BadInput("send a list of fields to share")
    with web.signed_in(request, n, write=True) as (s, member, _):
        return {"shared": rules.set_sharing(s, member, [str(f) for f in body])}


@router.post("/n/{n}/api/disclosure", openapi_extra=validation.DISCLOSURE_JSON)
def api_disclosure(request: Request, n: str, body: JsonBody):
    """What the mediator may be told of this delegation's unshared demands in the way of a
    deal: {"disclosure": "nothing" | "delegation" | "demands"}."""
    if not isinstance(body, dict):
        raise rules.BadInput("send {disclosure}")
    with web.signed_in(request, n, write=True) as (s, member, _):
        return {"disclosure": rules.set_disclosure(s, member, str(body.get("disclosure", "")))}


@router.post("/n/{n}/api/members", openapi_extra=validation.MEMBER_JSON)
def api_add_member(request: Request, n: str, body: JsonBody):
    if not isinstance(body, dict):
        raise rules.BadInput("send {role, name}")
    with web.signed_in(request, n, write=True) as (s, member, _):
        added, token = rules.add_member(s, member, str(body.get("role", "")),
                                        str(body.get("name", "")))
        return {"member": added.id, "party": added.party_id,
                "link": str(request.url_for("join_page", token=token))}


@router.post("/n/{n}/api/drafts")
def api_publish(request: Request, n: str, body: validation.DraftBody):
    with web.signed_in(request, n, write=True) as (s, member, _):
        number = rules.publish_draft(s, member, body.title, body.options, body.texts,
                                     body.due_in_hours, body.versus).number
    request.app.state.drafts.published(n, number)
    return {"number": number}


@router.get("/n/{n}/api/drafts/{number}/answers")
def api_answers(request: Request, n: str, number: validation.DbInt):
    with web.signed_in(request, n, core=True) as (s, member, _):
        return {"answers": {str(k): v for k, v in rules.answers_to(s, member, number).items()}}


@router.post("/n/{n}/api/drafts/{number}/answers")
def api_answer(request: Request, n: str, number: validation.DbInt,
               body: validation.AnswersBody):
    with web.signed_in(request, n, write=True, core=True) as (s, member, _):
        rules.answer(s, member, number, {k: (v.verdict, v.comment, v.red_line)
                                         for k, v in body.items()})
    return JSONResponse({"ok": True})


@router.get("/n/{n}/api/drafts/{number}/whole")
def api_whole_answers(request: Request, n: str, number: validation.DbInt):
    """Answers on the draft as a whole: a delegation's own, or everyone's for the mediator."""
    with web.signed_in(request, n, core=True) as (s, member, _):
        return {"answers": {str(k): v
                            for k, v in rules.whole_answers_to(s, member, number).items()}}


@router.post("/n/{n}/api/drafts/{number}/whole")
def api_answer_whole(request: Request, n: str, number: validation.DbInt,
                     body: validation.WholeBody):
    """A delegation's answer on the draft as a whole: could it sign it, how does it compare
    with the earlier draft the mediator named, which points should change first."""
    with web.signed_in(request, n, write=True, core=True) as (s, member, _):
        rules.answer_whole(s, member, number, body.sign, body.compared, body.priorities)
    return JSONResponse({"ok": True})


@router.get("/n/{n}/api/history")
def api_history(request: Request, n: str,
                after: int = Query(0, ge=0, le=validation.DB_INT_MAX),
                limit: int = Query(rules.HISTORY_PAGE, ge=1, le=rules.HISTORY_MAX)):
    """One page of the history, oldest first: the `limit` events after event id `after`.
    `next` is the `after` of the following page (null on the last page)."""
    with web.signed_in(request, n) as (s, member, _):
        events = rules.history(s, member, after=after, limit=limit)
    following = events[-1]["id"] if len(events) == limit else None
    return JSONResponse({"history": events, "next": following})


@router.get("/n/{n}/api/zone")
def api_zone(request: Request, n: str):
    """The zone verdict (mediator); under a decision rule, whether a package passes and the
    coalition carrying it as far as the disclosure policy lets the mediator read it."""
    with web.signed_in(request, n) as (s, member, _):
        return rules.zone_report(s, member)


@router.get("/n/{n}/api/concessions")
def api_concessions(request: Request, n: str):
    """Each delegation's answers per point across the newest drafts (mediator)."""
    with web.signed_in(request, n) as (s, member, _):
        return rules.concessions(s, member)


@router.get("/n/{n}/api/impasse")
def api_impasse(request: Request, n: str):
    """What blocks the deal, as the caller may read it (docs/room.md, "When there is no
    deal"): the mediator's blocking sets and candidate drafts, or a delegation's own
    demands in the way; `impasse` is null when nothing is known to block a deal."""
    with web.signed_in(request, n) as (s, member, _):
        return {"impasse": rules.impasse_for(s, member)}


@router.post("/n/{n}/api/propose")
def api_propose(request: Request, n: str, best: bool = Query(False)):
    """The engine's next draft (`best`: when it learns from answers, the text it rates best
    so far): the package, why there is none, what the engine read, and the earlier draft
    it asks the delegations to compare it with."""
    with web.signed_in(request, n) as (s, member, token):  # read, then compute outside
        web.check_csrf(request, None, token)
        compute = rules.prepare_proposal(s, member, best=best)
    proposal = compute()
    with web.signed_in(request, n, write=True) as (s, member, _):
        rules.record_proposal(s, member, proposal, best)
    return {"package": proposal.package, "reason": proposal.reason,
            "basis": proposal.basis, "versus": proposal.versus}
