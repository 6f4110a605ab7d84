"""Logins the app demos make for the people they play (with the demo password), when a person has none yet."""

from dxtalent.core.models import User

from ..models import Employee


def employee_login(employee: Employee, password_hash: str) -> tuple[User, bool]:
    """The employee's login, made (username = 職員番号, the given password hash) if missing; and whether it was made."""
    if employee.user is not None:
        return employee.user, False
    user = User(
        username=employee.number,
        first_name=employee.name.split(" ")[-1],
        last_name=employee.name.split(" ")[0],
        email=employee.email,
        password=password_hash,
    )
    user.full_clean(exclude=["password"])
    user.save()
    employee.user = user
    employee.save(update_fields=["user"])
    return user, True
