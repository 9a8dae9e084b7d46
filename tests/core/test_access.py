"""Who may see what: each role against objects of its own and of others."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from contactbook.core.directory import access
from contactbook.core.directory.models import Classroom, School, Student, User
from contactbook.core.platform import Permission, Refused
from contactbook.core.platform.module_contract import Role, registry
from contactbook.extensions import db


@pytest.fixture
def world(make_school, make_user, make_classroom, make_student, assign_teacher):
    """Two schools in one district and one school in another, with people in every role."""
    school = make_school()
    sibling_school = make_school(district_id=school.district_id)
    far_school = make_school()

    homeroom = make_user(Role.TEACHER, school, name="GVCN 6A")
    subject_teacher = make_user(Role.TEACHER, school, name="GVBM Toán")
    other_teacher = make_user(Role.TEACHER, school, name="GV 7A")
    class_6a = make_classroom(school, "6A", homeroom_teacher=homeroom)
    class_6b = make_classroom(school, "6B")
    class_7a = make_classroom(school, "7A", homeroom_teacher=other_teacher)
    assign_teacher(subject_teacher, class_6b, school)
    far_class = make_classroom(far_school, "6A")

    parent = make_user(Role.GUARDIAN, school, name="Phụ huynh")
    child = make_student(class_6a, school, "Lê Minh Anh", guardians=(parent,))
    classmate = make_student(class_6a, school, "Trần Bảo Châu")
    pupil_6b = make_student(class_6b, school, "Phạm Gia Huy")
    pupil_7a = make_student(class_7a, school, "Đỗ Thu Hà")
    far_pupil = make_student(far_class, far_school, "Vũ Văn Nam")

    return SimpleNamespace(
        school=school,
        sibling_school=sibling_school,
        far_school=far_school,
        homeroom=homeroom,
        subject_teacher=subject_teacher,
        parent=parent,
        nurse=make_user(Role.NURSE, school),
        school_admin=make_user(Role.SCHOOL_ADMIN, school),
        district_admin=make_user(Role.DISTRICT_ADMIN, school),
        stranger=make_user(),
        classes={"6A": class_6a, "6B": class_6b, "7A": class_7a, "far": far_class},
        students={
            "child": child,
            "classmate": classmate,
            "6B": pupil_6b,
            "7A": pupil_7a,
            "far": far_pupil,
        },
    )


def visible(app, query_for, user, model) -> set[int]:
    with app.app_context():
        found = db.session.get(User, user.id)
        return set(db.session.scalars(query_for(found).with_only_columns(model.id)))


def ids(objects) -> set[int]:
    return {obj.id for obj in objects}


def test_guardian_sees_only_their_own_child(app, world):
    assert visible(app, access.students_visible_to, world.parent, Student) == ids(
        [world.students["child"]]
    )
    assert visible(app, access.classrooms_visible_to, world.parent, Classroom) == set()


def test_homeroom_teacher_sees_their_class_and_its_pupils(app, world):
    assert visible(app, access.classrooms_visible_to, world.homeroom, Classroom) == ids(
        [world.classes["6A"]]
    )
    assert visible(app, access.students_visible_to, world.homeroom, Student) == ids(
        [world.students["child"], world.students["classmate"]]
    )


def test_subject_teacher_sees_only_the_classes_they_teach(app, world):
    assert visible(app, access.classrooms_visible_to, world.subject_teacher, Classroom) == ids(
        [world.classes["6B"]]
    )
    assert visible(app, access.students_visible_to, world.subject_teacher, Student) == ids(
        [world.students["6B"]]
    )


@pytest.mark.parametrize("role", ["nurse", "school_admin"])
def test_school_wide_roles_see_their_whole_school_and_nothing_else(app, world, role):
    user = getattr(world, role)
    school_classes = ids([world.classes[name] for name in ("6A", "6B", "7A")])
    assert visible(app, access.classrooms_visible_to, user, Classroom) == school_classes
    students = visible(app, access.students_visible_to, user, Student)
    assert world.students["far"].id not in students
    assert len(students) == 4


def test_district_admin_sees_the_schools_of_their_district_only(app, world):
    schools = visible(app, access.schools_visible_to, world.district_admin, School)
    assert schools == ids([world.school, world.sibling_school])
    students = visible(app, access.students_visible_to, world.district_admin, Student)
    assert world.students["far"].id not in students
    assert len(students) == 4


def test_user_without_membership_sees_nothing(app, world):
    for query, model in [
        (access.schools_visible_to, School),
        (access.classrooms_visible_to, Classroom),
        (access.students_visible_to, Student),
    ]:
        assert visible(app, query, world.stranger, model) == set()


def test_school_management_is_for_admins_of_that_school(app, world):
    with app.app_context():
        school = db.session.get(School, world.school.id)
        far = db.session.get(School, world.far_school.id)

        def manages(user, target):
            return access.can_manage_school(db.session.get(User, user.id), target)

        assert manages(world.school_admin, school)
        assert manages(world.district_admin, school)
        assert not manages(world.district_admin, far)
        assert not manages(world.homeroom, school)
        assert not manages(world.parent, school)


def test_object_checks_agree_with_the_lists(app, world):
    with app.app_context():
        parent = db.session.get(User, world.parent.id)
        teacher = db.session.get(User, world.subject_teacher.id)
        child = db.session.get(Student, world.students["child"].id)
        classmate = db.session.get(Student, world.students["classmate"].id)
        class_6b = db.session.get(Classroom, world.classes["6B"].id)
        class_6a = db.session.get(Classroom, world.classes["6A"].id)
        assert access.can_view_student(parent, child)
        assert not access.can_view_student(parent, classmate)
        assert access.can_view_classroom(teacher, class_6b)
        assert not access.can_view_classroom(teacher, class_6a)


def test_permissions_follow_roles_per_school(app, world):
    with app.app_context():
        parent = db.session.get(User, world.parent.id)
        teacher = db.session.get(User, world.homeroom.id)
        district_admin = db.session.get(User, world.district_admin.id)
        school = db.session.get(School, world.school.id)
        far = db.session.scalar(select(School).where(School.id == world.far_school.id))
        assert access.has_permission(teacher, "core.classes.view", school)
        assert not access.has_permission(teacher, "core.classes.view", far)
        assert not access.has_permission(parent, "core.classes.view")
        assert access.has_permission(parent, "core.home.view", school)
        assert access.has_permission(district_admin, "core.classes.view", school)
        assert not access.has_permission(district_admin, "core.classes.view", far)


@pytest.mark.parametrize(
    ("who", "class_name", "status"),
    [
        ("homeroom", "6A", 200),
        ("homeroom", "6B", 404),
        ("subject_teacher", "6B", 200),
        ("subject_teacher", "far", 404),
        ("parent", "6A", 404),
        ("nurse", "7A", 200),
        ("school_admin", "far", 404),
        ("district_admin", "7A", 200),
        ("stranger", "6A", 404),
    ],
)
def test_class_list_page_is_only_for_those_who_may_see_it(
    client, login, world, who, class_name, status
):
    login(getattr(world, who).phone)
    response = client.get(f"/classes/{world.classes[class_name].id}")
    assert response.status_code == status


def test_missing_class_looks_like_a_hidden_one(client, login, world):
    login(world.school_admin.phone)
    response = client.get("/classes/999999")
    assert response.status_code == 404
    assert "Trang này không tồn tại" in response.get_data(as_text=True)


def test_require_admits_a_listed_role_at_the_objects_school_under_its_condition(app, world):
    """A teacher only where the condition holds; an admin everywhere in their school."""
    with app.app_context():
        registry(app).permissions["test.classes.mark"] = Permission(
            "test.classes.mark",
            "Mark a class",
            frozenset({Role.TEACHER, Role.SCHOOL_ADMIN}),
            where={Role.TEACHER: access.teaches_class},
        )
        people = (
            "homeroom",
            "subject_teacher",
            "parent",
            "nurse",
            "school_admin",
            "district_admin",
        )
        users = {name: db.session.get(User, getattr(world, name).id) for name in people}
        rooms = {name: db.session.get(Classroom, room.id) for name, room in world.classes.items()}
        admitted = {
            (name, class_name)
            for name, user in users.items()
            for class_name, room in rooms.items()
            if access.allows(user, "test.classes.mark", room)
        }
        # The district admin holds no listed role; the far class is another school's.
        assert admitted == {
            ("homeroom", "6A"),
            ("subject_teacher", "6B"),
            ("school_admin", "6A"),
            ("school_admin", "6B"),
            ("school_admin", "7A"),
        }
        access.require(users["homeroom"], "test.classes.mark", rooms["6A"])
        with pytest.raises(Refused):
            access.require(users["homeroom"], "test.classes.mark", rooms["7A"])
