"""The domain error shared by every app's services.

`WorkflowError` means "this step is not allowed in the current state" (a closed window, an illegal status change,
a cohort already formed, a posting past its deadline …). Pages show its message; the API answers 409
(`dxtalent.core.api.Conflict`). Bad input (a missing reason, a level off the scale …) is a django
`ValidationError` instead: a page re-shows the form with the message next to the field, the API answers 400 with
field errors.
"""


class WorkflowError(Exception):
    """An illegal workflow step, with a message in Japanese that can be shown to the user as is."""

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
