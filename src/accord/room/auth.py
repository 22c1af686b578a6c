"""Tokens, sessions and CSRF: random secrets handed out once, stored only as sha256 digests.

An invitation token (in a link) is exchanged once for a session; the session id lives in an
HttpOnly, SameSite=Strict cookie scoped to the negotiation's path; each session has its own
CSRF token, which every state-changing request must echo (form field or header).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from accord.room.db import Executor, Member, SignIn, now

SESSION_LIFETIME = dt.timedelta(days=14)
COOKIE = "accord_session"
ANON_COOKIE = "accord_csrf"
"""Double-submit CSRF cookie for the forms shown before signing in (open, join)."""


def new_token() -> str:
    """A fresh random secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored of a secret: its sha256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: object, b: object) -> bool:
    """Constant-time comparison that is false for missing values. Compares UTF-8 bytes, so
    any text a client sends (non-ASCII, lone surrogates) is just unequal, never an error."""
    return bool(a) and bool(b) and hmac.compare_digest(_utf8(a), _utf8(b))


def _utf8(value: object) -> bytes:
    return str(value).encode("utf-8", "surrogatepass")


ANON_MAX_AGE = dt.timedelta(days=7)
"""How long a signed-out form's CSRF cookie stays good (then the page is reloaded)."""


def anon_csrf(secret: bytes, cookie: str | None) -> str:
    """The signed-out forms' CSRF value: the browser's cookie if this server signed it and
    it is still good, else a fresh one, `token.issued.mac` (HMAC-SHA256 with `secret`)."""
    if anon_csrf_valid(secret, cookie):
        return str(cookie)
    body = f"{new_token()}.{int(time.time())}"
    return f"{body}.{_mac(secret, body)}"


def anon_csrf_valid(secret: bytes, cookie: object) -> bool:
    """Whether a cookie value was signed by this server (with `secret`) and is still good:
    a value the client made up, or altered, is not."""
    if not isinstance(cookie, str) or not cookie or len(cookie) > 200:
        return False
    body, _, mac = cookie.rpartition(".")
    _, _, issued = body.rpartition(".")
    if not same(mac, _mac(secret, body)) or not issued.isdigit() or not issued.isascii():
        return False
    age = time.time() - int(issued)
    return -60 <= age <= ANON_MAX_AGE.total_seconds()


def anon_csrf_ok(secret: bytes, sent: object, cookie: str | None) -> bool:
    """A signed-out form's check: the cookie is one this server signed, and the form echoes
    it (double submit)."""
    return anon_csrf_valid(secret, cookie) and same(sent, cookie)


def _mac(secret: bytes, body: str) -> str:
    return hmac.new(secret, _utf8(body), hashlib.sha256).hexdigest()


def start_session(session: Session, member: Member) -> tuple[str, str]:
    """A new sign-in for `member`: (cookie value, CSRF token)."""
    cookie, csrf = new_token(), new_token()
    session.add(SignIn(id_hash=digest(cookie), member_id=member.id, csrf=csrf,
                       expires_at=now() + SESSION_LIFETIME))
    return cookie, csrf


def find_session(session: Executor, negotiation_id: str, cookie: str | None,
                 for_writing: bool = True, lean: bool = False) -> tuple[Member, SignIn] | None:
    """The member and sign-in a cookie stands for in this negotiation, if still valid. With
    `for_writing`, ORM objects a write may change (`session` must then be a Session);
    otherwise both are one read-only row with the same attributes, read with SQLAlchemy
    Core: a third of the cost of the ORM on the busiest routes; `lean` leaves out the
    member's preferences and sharing (the JSON API's busiest routes never need them, and
    decoding them on every state read would cost more than the read)."""
    if not cookie or len(cookie) > 128:
        return None
    if for_writing:
        row = session.execute(select(SignIn, Member).join(Member, Member.id == SignIn.member_id)
                              .where(SignIn.id_hash == digest(cookie))).first()
        found = (row.Member, row.SignIn) if row is not None else None
    else:
        row = session.execute(_LEAN_SESSION if lean else _READ_SESSION,
                              {"id_hash": digest(cookie)}).first()
        found = (row, row) if row is not None else None
    if found is None:
        return None
    member, sign_in = found
    if member.negotiation_id != negotiation_id:
        return None
    if sign_in.expires_at < now() or member.revoked_at is not None:
        return None
    return member, sign_in


_MEMBERS, _SESSIONS = Member.__table__, SignIn.__table__
_READ_SESSION = (select(*_MEMBERS.c, _SESSIONS.c.csrf, _SESSIONS.c.expires_at)
                 .join_from(_SESSIONS, _MEMBERS, _MEMBERS.c.id == _SESSIONS.c.member_id)
                 .where(_SESSIONS.c.id_hash == bindparam("id_hash")))
_LEAN_SESSION = (select(*(c for c in _MEMBERS.c if c.name not in ("preferences", "shared")),
                        _SESSIONS.c.csrf, _SESSIONS.c.expires_at)
                 .join_from(_SESSIONS, _MEMBERS, _MEMBERS.c.id == _SESSIONS.c.member_id)
                 .where(_SESSIONS.c.id_hash == bindparam("id_hash")))


def end_session(session: Session, cookie: str | None) -> None:
    if cookie:
        session.execute(delete(SignIn).where(SignIn.id_hash == digest(cookie)))
