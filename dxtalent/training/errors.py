"""Domain errors of the training engine.

- `WorkflowError`: an illegal transition of an enrollment (or an application the run does not accept). Pages show
  its message; the API answers 409 (`dxtalent.core.api.Conflict`).
- `AttendanceSheetError`: one or more rows of an attendance sheet are wrong. It is a Django ValidationError (so the
  API answers 400 with field errors) that also carries the message of each bad row by enrollment id, so the
  attendance page can show each message next to its row.
"""

from django.core.exceptions import ValidationError


class WorkflowError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class AttendanceSheetError(ValidationError):
    def __init__(self, row_errors: dict, general: list[str] | None = None):
        self.row_errors: dict = dict(row_errors)  # enrollment id (or the value given) → Japanese message
        self.general = list(general or [])
        lines = [*self.general, *(f"受講申込 {key}: {message}" for key, message in self.row_errors.items())]
        super().__init__({"entries": lines})
