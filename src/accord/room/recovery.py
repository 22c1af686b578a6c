"""Getting back in, and being put out: each member's recovery code, and revoking a member.

A seat (a member) is entered in only two ways: once with its invitation link, before anyone
has joined it, or with the member's own recovery code. The code is `<member id>-<secret>`
(144 random bits); only its salted scrypt is stored. It is shown once — when the member joins
(the mediator: when it opens the negotiation), and again each time it is used or renewed,
which replaces it — so no one but the member ever holds it, the mediator included.

Revoking (the mediator) ends a member's sessions, voids its link and recovery code, and is a
public event: every member sees it in the history and the roster. It opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import delete
from sqlalchemy.orm import Session

from accord.room import auth
from accord.room import services as rules
from accord.room.db import Member, SignIn, now

SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 14, 8, 1
SHOW_COOKIE = "accord_recovery"
"""Carries a fresh code from the request that made it to the one page that shows it, once."""
CODE = re.compile(r"[0-9]{1,12}-[A-Za-z0-9_-]{16,64}")
WRONG = "this recovery code is not valid (each code works once: use the newest one you were shown)"


class WrongCode(rules.RoomError):
    status = 403


def new_code(member: Member) -> str:
    """A fresh recovery code for `member` (any earlier one stops working); store its hash."""
    code = f"{member.id}-{secrets.token_urlsafe(18)}"
    member.recovery_hash = _hash(code)
    return code


def recover(s: Session, negotiation_id: str, code: str) -> tuple[Member, str, str]:
    """Sign a member back in with its recovery code, which is replaced:
    (member, session cookie, the new code)."""
    code = (code or "").strip()
    member = None
    if CODE.fullmatch(code):
        found = s.get(Member, int(code.split("-", 1)[0]), with_for_update=True)
        if (found is not None and found.negotiation_id == negotiation_id
                and found.revoked_at is None and found.recovery_hash):
            member = found
    if member is None:
        _hash(code or "-")  # as slow as a real check: timing tells nothing
        raise WrongCode(WRONG)
    if not _matches(code, member.recovery_hash):
        raise WrongCode(WRONG)
    fresh = new_code(member)
    cookie, _ = auth.start_session(s, member)
    rules._log(s, negotiation_id, member, "recovered", {})
    return member, cookie, fresh


def renew(s: Session, actor: Member) -> str:
    """A signed-in member replaces its own recovery code (say, after writing it somewhere unsafe)."""
    code = new_code(actor)
    rules._log(s, actor.negotiation_id, actor, "recovery-code-renewed", {})
    return code


def revoke(s: Session, actor: Member, member_id: int) -> Member:
    """The mediator puts a delegation or an observer out: its sessions end, its link and
    recovery code stop working, and everyone sees that it was revoked."""
    rules._require(actor, rules.MEDIATOR)
    member = rules._member(s, actor.negotiation_id, member_id)
    if member.role == rules.MEDIATOR:
        raise rules.Forbidden("the mediator cannot revoke itself")
    if member.revoked_at is not None:
        raise rules.Conflict(f"{member.name} is already revoked")
    member.revoked_at = now()
    member.invite_hash = None
    member.recovery_hash = None
    s.execute(delete(SignIn).where(SignIn.member_id == member.id))
    rules._log(s, actor.negotiation_id, actor, "member-revoked",
               {"member": member.name, "role": member.role})
    return member


def shown_code(value: str | None) -> str | None:
    """The code a show-once cookie carries, if it looks like one (else nothing to show)."""
    return value if value and CODE.fullmatch(value) else None


def _hash(code: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
          p: int = SCRYPT_P) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(code.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p,
                         maxmem=64 << 20, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${key.hex()}"


def _matches(code: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        again = _hash(code, bytes.fromhex(salt), int(n), int(r), int(p)).rsplit("$", 1)[1]
    except ValueError:
        return False
    return kind == "scrypt" and hmac.compare_digest(again, key)


def show_once(response, n: str, code: str, secure: bool) -> None:
    """Hand a fresh code to the negotiation page, which shows it once and drops it."""
    response.set_cookie(SHOW_COOKIE, code, max_age=900, path=f"/n/{n}", httponly=True,
                        samesite="strict", secure=secure)
