from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .text import normalize


class StaffLoginForm(AuthenticationForm):
    """Login with 職員番号: full-width digits and stray spaces typed on Japanese IMEs are normalised."""

    username = forms.CharField(label="職員番号", max_length=150)
    error_messages = {
        "invalid_login": "職員番号またはパスワードが正しくありません。",
        "inactive": "このアカウントは無効になっています。",
    }

    def clean(self):
        if "username" in self.cleaned_data:
            self.cleaned_data["username"] = normalize(self.cleaned_data["username"])
        return super().clean()


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (others at the top of the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
