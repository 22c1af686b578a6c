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

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord.room.db import Member, SignIn, now

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


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison that is false for missing values."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def start_session(session: Session, member: Member) -> tuple[str, str]:
    """A new sign-in for `member`: (cookie value, CSRF token)."""
    cookie, csrf = new_token(), new_token()
    session.add(SignIn(id_hash=digest(cookie), member_id=member.id, csrf=csrf,
                       expires_at=now() + SESSION_LIFETIME))
    return cookie, csrf


def find_session(session: Session, negotiation_id: str,
                 cookie: str | None) -> tuple[Member, SignIn] | None:
    """The member and sign-in a cookie stands for in this negotiation, if still valid."""
    if not cookie or len(cookie) > 128:
        return None
    row = session.execute(select(SignIn, Member).join(Member, Member.id == SignIn.member_id)
                          .where(SignIn.id_hash == digest(cookie))).first()
    if row is None or row.Member.negotiation_id != negotiation_id:
        return None
    if row.SignIn.expires_at < now() or row.Member.revoked_at is not None:
        return None
    return row.Member, row.SignIn


def end_session(session: Session, cookie: str | None) -> None:
    if cookie:
        session.execute(delete(SignIn).where(SignIn.id_hash == digest(cookie)))
