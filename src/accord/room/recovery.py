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

from sqlalchemy import delete, select
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


def new_code(member: Member, prepared: tuple[str, str] | None = None) -> str:
    """A fresh recovery code for `member` (any earlier one stops working); store its hash.
    `prepared` is a (code, hash) pair from `prepare_code` for this member, made before the
    write transaction so the slow hash does not hold the database's write lock."""
    if prepared is None or not prepared[0].startswith(f"{member.id}-"):
        prepared = prepare_code(member.id)
    code, member.recovery_hash = prepared
    return code


def prepare_code(member_id: int) -> tuple[str, str]:
    """A new recovery code for seat `member_id` and its salted scrypt (slow on purpose)."""
    code = f"{member_id}-{secrets.token_urlsafe(18)}"
    return code, _hash(code)


def invited_seat(s: Session, token: str) -> int | None:
    """The member id an unused invitation link is for (None if it is not one): read
    without locking, to prepare its recovery code; `join` checks everything again."""
    if not token or len(token) > 128:
        return None
    return s.scalar(select(Member.id).where(Member.invite_hash == auth.digest(token),
                                            Member.joined_at.is_(None)))


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
    rules.log_event(s, negotiation_id, member, "recovered", {})
    return member, cookie, fresh


def renew(s: Session, actor: Member) -> str:
    """A signed-in member replaces its own recovery code (say, after writing it somewhere unsafe)."""
    code = new_code(actor)
    rules.log_event(s, actor.negotiation_id, actor, "recovery-code-renewed", {})
    return code


def revoke(s: Session, actor: Member, member_id: int) -> Member:
    """The mediator puts a delegation or an observer out: its sessions end, its link and
    recovery code stop working, and everyone sees that it was revoked."""
    rules.require(actor, rules.MEDIATOR)
    member = rules.member_of(s, actor.negotiation_id, member_id)
    if member.role == rules.MEDIATOR:
        raise rules.Forbidden("the mediator cannot revoke itself")
    if member.revoked_at is not None:
        raise rules.Conflict(f"{member.name} is already revoked")
    member.revoked_at = now()
    member.invite_hash = None
    member.recovery_hash = None
    member.colleague_hash = None
    s.execute(delete(SignIn).where(SignIn.member_id == member.id))
    rules.log_event(s, actor.negotiation_id, actor, "member-revoked",
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


def colleague_link(s: Session, actor: Member) -> str:
    """A signed-in delegation makes a single-use link into its own seat for a colleague (any
    earlier colleague link stops working). No one else can make one: not the mediator."""
    rules.require(actor, rules.DELEGATION)
    token = auth.new_token()
    actor.colleague_hash = auth.digest(token)
    rules.log_event(s, actor.negotiation_id, actor, "colleague-invited", {})
    return token


def redeem_colleague(s: Session, token: str) -> tuple[Member, str] | None:
    """Exchange a colleague link, once, for a session in that seat: (member, cookie); None
    if the token is not a colleague link. The colleague gets no recovery code of its own
    (the seat has one): one who loses its session asks a colleague for a new link."""
    if not token or len(token) > 128:
        return None
    member = s.scalar(select(Member).where(Member.colleague_hash == auth.digest(token))
                      .with_for_update())
    if member is None:
        return None
    member.colleague_hash = None
    if member.revoked_at is not None:
        raise rules.NotFound("this invitation link is not valid (or was already used)")
    cookie, _ = auth.start_session(s, member)
    rules.log_event(s, member.negotiation_id, member, "colleague-joined", {})
    return member, cookie


def join(s: Session, token: str,
         prepared: tuple[str, str] | None = None) -> tuple[Member, str, str | None]:
    """Redeem an invitation or a colleague link: (member, cookie, its new recovery code —
    None for a colleague joining a seat that already has one). `prepared`: see `new_code`."""
    colleague = redeem_colleague(s, token)
    if colleague is not None:
        return *colleague, None
    member, cookie, _ = rules.redeem(s, token)
    return member, cookie, new_code(member, prepared)
