"""Who may see a person's training record: built only from dxtalent.org.access (no rules of its own)."""

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee


def may_view_record(user, employee: Employee) -> bool:
    """Oneself; or someone who may VIEW_TRAINING_RECORDS and may see the person (manager: own 課, liaison: own
    局区, hr / secretariat: everyone)."""
    me = access.employee_of(user)
    if me is not None and me.pk == employee.pk:
        return True
    return access.may(user, Action.VIEW_TRAINING_RECORDS) and access.may_view_employee(user, employee)
