"""Logins for the people who act in issue 5's demo (trainees, their 課長, ③ staff and mentors, applicants, the
③ department's 部長): made only where missing, with the demo password (as dxtalent/projects/demo_data/people.py)."""

import datetime as dt

from dxtalent.core.models import User
from dxtalent.org.demo.logins import employee_login
from dxtalent.org.models import Employee, RoleGrant, valid_on


class Logins:
    def __init__(self, *, day: dt.date, password: str):
        self.day = day
        self.password = password  # the demo password, already hashed
        self.users: dict[int, User] = {}
        self.held: set[tuple[int, str, int | None]] = set()  # (employee id, role, scope) already checked
        self.made = 0

    def of(self, employee: Employee, role: str, *, scope_unit_id: int | None = None, since: dt.date) -> User:
        """The employee's login holding `role` (for `scope_unit_id`), made if missing."""
        if (employee.pk, role, scope_unit_id) in self.held:
            return self.users[employee.pk]
        user = self.users.get(employee.pk)
        if user is None:
            user, made = employee_login(employee, self.password)
            self.made += made
        self.users[employee.pk] = user
        held = RoleGrant.objects.filter(valid_on(self.day), user=user, role=role)
        if scope_unit_id is not None:
            held = held.filter(scope_unit_id=scope_unit_id)
        if not held.exists():
            grant = RoleGrant(user=user, role=role, scope_unit_id=scope_unit_id, valid_from=since)
            grant.full_clean()
            grant.save()
            for key in [k for k in user.__dict__ if k.startswith("_dx_")]:
                user.__dict__.pop(key, None)  # cached grants, scope and employee of the access module
        self.held.add((employee.pk, role, scope_unit_id))
        return user
