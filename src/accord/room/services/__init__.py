"""The rules of the room as plain operations: who may read or write what.

Every function takes the acting `Member` (or a token) and checks the role itself, so the
web layer cannot forget a check. Confidential data (preferences, answers) leaves these
modules only for its owner, and for the mediator only as far as the owner shared it.

By concern: `common` (roles, limits, errors, the event log), `members` (negotiations and
who takes part), `drafts` (the single text and the answers to it), `preferences` (each
delegation's confidential data and who sees what of it), `questions` (the engine, for the
mediator), `impasse` (what blocks a deal, and who may be told what of it), `history` (the
log per reader, and the export). The routes import this package
as `rules` and use the names below.
"""

from accord.room.services.common import (
    DELEGATION,
    MAX_ISSUES,
    MAX_TEXT,
    MEDIATOR,
    OBSERVER,
    PUBLIC_EVENTS,
    SHAREABLE,
    VERDICTS,
    BadInput,
    Conflict,
    Forbidden,
    NotFound,
    RoomError,
    log_event,
    member_of,
    require,
)
from accord.room.services.drafts import (
    COMPARISONS,
    answer,
    answer_whole,
    concessions,
    answers_due,
    answers_to,
    current_draft,
    draft,
    draft_list_and_current,
    drafts,
    publish_draft,
    whole_answers_to,
)
from accord.room.services.history import HISTORY_MAX, HISTORY_PAGE, export, history
from accord.room.services.members import (
    Opened,
    add_member,
    check_issues,
    invite,
    issues_from_scenario,
    issues_from_text,
    members,
    negotiation,
    open_negotiation,
    redeem,
    roster,
    rule_in_words,
)
from accord.room.services.preferences import (
    check_preferences,
    import_preferences,
    preferences_of,
    set_preferences,
    set_sharing,
    shared_view,
    shared_views,
)
from accord.room.services.impasse import (
    DISCLOSURES,
    coalition_view,
    desk,
    impasse_for,
    propose_candidate,
    set_disclosure,
    zone_report,
)
from accord.room.services.questions import (
    prepare_proposal,
    propose,
    propose_improvement,
    record_proposal,
    settlement,
    zone,
)

__all__ = [
    "DELEGATION", "MAX_ISSUES", "MAX_TEXT", "MEDIATOR", "OBSERVER", "PUBLIC_EVENTS",
    "SHAREABLE", "VERDICTS", "BadInput", "Conflict", "Forbidden", "NotFound", "RoomError",
    "log_event", "member_of", "require", "answer", "answers_due", "answers_to",
    "current_draft", "draft", "concessions", "COMPARISONS", "answer_whole",
    "whole_answers_to", "draft_list_and_current", "drafts", "publish_draft",
    "HISTORY_MAX", "HISTORY_PAGE", "export",
    "history", "Opened", "add_member", "check_issues", "invite", "issues_from_scenario",
    "issues_from_text", "members", "negotiation", "open_negotiation", "redeem", "roster",
    "check_preferences", "import_preferences", "preferences_of", "set_preferences",
    "set_sharing", "shared_view", "shared_views", "propose", "zone", "DISCLOSURES",
    "desk", "impasse_for", "propose_candidate", "set_disclosure", "propose_improvement",
    "settlement", "prepare_proposal", "record_proposal", "coalition_view", "zone_report",
    "rule_in_words",
]
