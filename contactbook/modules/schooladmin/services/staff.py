"""Staff accounts of a school: adding people, their roles here, disabling and re-enabling them.

One person may work at two schools: adding a phone number or username that already has an
account links that account with roles here, leaving its password and its other schools alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from contactbook.core.directory import Membership, School, User, access, identity, passwords, phones
from contactbook.core.platform import Invalid, Role, atomic, audit
from contactbook.extensions import db

MANAGE = "schooladmin.school.manage"
# The roles a school admin hands out at their school; guardians come from the roster.
STAFF_ROLES = (Role.SCHOOL_ADMIN, Role.TEACHER, Role.NURSE)


@dataclass(frozen=True)
class StaffIn:
    """A new staff member as the admin types them: a phone number or a username, or both."""

    name: str
    phone: str | None
    username: str | None
    roles: frozenset[Role]
    password: str | None


@dataclass(frozen=True)
class StaffRow:
    """One person of the staff list with their roles at this school."""

    user: User
    roles: list[Role]


def staff_of(school: School) -> list[StaffRow]:
    """Everyone with a staff role at the school, by name, with those roles (one statement)."""
    roles: defaultdict[int, list[Role]] = defaultdict(list)
    users: dict[int, User] = {}
    for membership in db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.school_id == school.id, Membership.role.in_(STAFF_ROLES))
    ):
        roles[membership.user_id].append(membership.role)
        users[membership.user_id] = membership.user
    rows = [
        StaffRow(user, sorted(roles[user.id], key=STAFF_ROLES.index)) for user in users.values()
    ]
    return sorted(rows, key=lambda row: row.user.display_name)


def roles_here(user: User, school: School) -> set[Role]:
    """The staff roles the person holds at this school."""
    return set(
        db.session.scalars(
            select(Membership.role).where(
                Membership.user_id == user.id,
                Membership.school_id == school.id,
                Membership.role.in_(STAFF_ROLES),
            )
        )
    )


def add_staff(actor: User, school: School, data: StaffIn) -> User:
    """Give someone roles at the school, making their account unless they already have one."""
    access.require(actor, MANAGE, school)
    phone = _phone(data.phone)
    username = (data.username or "").strip().lower() or None
    if phone is None and username is None:
        raise Invalid({"phone": [_("Give a phone number or a username.")]})
    if not data.roles:
        raise Invalid({"roles": [_("Choose at least one role.")]})
    with atomic():
        user = _existing(phone, username)
        if user is None:
            user = _new_user(data, phone, username)
        elif roles_here(user, school):
            raise Invalid({"phone": [_("This person already works at this school.")]})
        _grant(school, user, data.roles)
        audit.record(
            actor,
            "schooladmin.staff_added",
            user,
            school_id=school.id,
            after={"roles": sorted(data.roles)},
        )
    return user


def set_roles(actor: User, school: School, user: User, roles: Iterable[Role]) -> set[Role]:
    """Make the person's staff roles at this school exactly `roles`; none: they leave it.

    The school keeps at least one admin: taking the role from the last one is refused.
    """
    access.require(actor, MANAGE, school)
    wanted = set(roles)
    with atomic():
        held = roles_here(user, school)
        if Role.SCHOOL_ADMIN in held - wanted and _other_admins(school, user) == 0:
            raise Invalid({"roles": [_("The school must keep at least one admin.")]})
        for membership in db.session.scalars(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.school_id == school.id,
                Membership.role.in_(held - wanted),
            )
        ):
            db.session.delete(membership)
        _grant(school, user, wanted - held)
        if held != wanted:
            audit.record(
                actor,
                "schooladmin.staff_roles",
                user,
                school_id=school.id,
                before={"roles": sorted(held)},
                after={"roles": sorted(wanted)},
            )
    return wanted


def set_active(actor: User, school: School, user: User, is_active: bool) -> User:
    """Disable an account (its sessions end at once) or enable it again.

    Nobody disables themselves, the school's last admin, or someone who also works at a
    school the actor does not run (remove their roles here instead).
    """
    access.require(actor, MANAGE, school)
    if is_active == user.is_active:
        return user
    if not is_active:
        _check_may_disable(actor, school, user)
        identity.disable_user(actor, user)
        return user
    with atomic():
        user.is_active = True
        audit.record(
            actor,
            "schooladmin.user_enabled",
            user,
            school_id=school.id,
            before={"active": False},
            after={"active": True},
        )
    return user


def _check_may_disable(actor: User, school: School, user: User) -> None:
    if user.id == actor.id:
        raise Invalid({"is_active": [_("You cannot disable your own account.")]})
    if Role.SCHOOL_ADMIN in roles_here(user, school) and _other_admins(school, user) == 0:
        raise Invalid({"is_active": [_("The school must keep at least one admin.")]})
    managed = set(db.session.scalars(access.managed_school_ids(actor)))
    elsewhere = {m.school_id for m in user.memberships if m.school_id not in managed}
    if elsewhere or any(m.district_id is not None for m in user.memberships):
        raise Invalid(
            {"is_active": [_("This person also works elsewhere; remove their roles here instead.")]}
        )


def _other_admins(school: School, user: User) -> int:
    """Active admins of the school other than `user`."""
    return db.session.scalar(
        select(func.count(Membership.id))
        .join(User, Membership.user_id == User.id)
        .where(
            Membership.school_id == school.id,
            Membership.role == Role.SCHOOL_ADMIN,
            Membership.user_id != user.id,
            User.is_active.is_(True),
        )
    )


def _phone(text: str | None) -> str | None:
    if not (text or "").strip():
        return None
    try:
        return phones.normalise_phone(text)
    except phones.InvalidPhoneNumber:
        raise Invalid({"phone": [_("This is not a Vietnamese mobile number.")]}) from None


def _existing(phone: str | None, username: str | None) -> User | None:
    """The account with this phone number or username; both naming different people is an error."""
    by_phone = db.session.scalar(select(User).where(User.phone == phone)) if phone else None
    by_name = (
        db.session.scalar(select(User).where(func.lower(User.username) == username))
        if username
        else None
    )
    if by_phone and by_name and by_phone.id != by_name.id:
        raise Invalid({"username": [_("This username belongs to someone else.")]})
    return by_phone or by_name


def _new_user(data: StaffIn, phone: str | None, username: str | None) -> User:
    user = User(phone=phone, username=username, display_name=data.name.strip())
    if not user.display_name:
        raise Invalid({"name": [_("Enter the person's name.")]})
    password = data.password or ""
    if len(password) < identity.MIN_PASSWORD_LENGTH:
        raise Invalid(
            {"password": [_("At least %(n)d characters.", n=identity.MIN_PASSWORD_LENGTH)]}
        )
    refused = passwords.refusal(user, "", password)
    if refused is not None:
        raise Invalid({"password": [str(refused)]})
    user.password_hash = identity.hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _grant(school: School, user: User, roles: Iterable[Role]) -> None:
    for role in sorted(roles):
        db.session.add(Membership(user_id=user.id, role=role, school_id=school.id))
