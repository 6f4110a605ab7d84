from django import forms
from django.contrib.auth.forms import AuthenticationForm

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
