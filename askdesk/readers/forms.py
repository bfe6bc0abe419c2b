from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from askdesk.accounts.models import Expert
from askdesk.questions.formtoken import form_token_valid
from askdesk.questions.models import QuestionGroup
from askdesk.readers.models import EditorAlertSettings, RoundOption


class AlsoAskedForm(forms.Form):
    """ "I want to know too": consent, and an optional email to be told when it is answered."""

    email = forms.EmailField(
        label=_("Email (optional): we tell you when it is answered"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an email address in the form name@example.com.")},
    )
    consent = forms.BooleanField(
        required=True, error_messages={"required": _("Tick the box to accept the terms and the privacy policy.")}
    )
    # Signed, bound to the call-out, the same for every reader within an hour (questions/formtoken.py).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, callout_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.callout_id = callout_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.callout_id is not None and not form_token_valid(
            cleaned.get("form_token", ""), callout_id=self.callout_id
        ):
            raise forms.ValidationError(
                _("This form was open for a long time and has expired. Please send it again."), code="expired"
            )
        return cleaned


class VoteForm(forms.Form):
    option = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, error_messages={"required": _("Choose one question.")}
    )
    email = forms.EmailField(
        label=_("Email (optional): we tell you the result"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an email address in the form name@example.com.")},
    )

    def __init__(self, *args: Any, options: list[RoundOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["option"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(option.pk, option.label) for option in options]


class RoundForm(forms.Form):
    """A round: its question to readers, when it closes, and 2-5 groups (chosen in the template)."""

    title = forms.CharField(
        label="Question to readers", max_length=200, initial="Which should our experts answer first?"
    )
    closes_at = forms.DateTimeField(
        label="Closes at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


def round_option_rows(
    data: Any, groups: list[QuestionGroup], experts: list[Expert]
) -> list[tuple[QuestionGroup, str, Expert | None]]:
    """The groups an editor ticked, with the wording and expert chosen for each."""
    by_id = {expert.pk: expert for expert in experts}
    chosen = []
    for group in groups:
        if data.get(f"pick_{group.pk}") != "on":
            continue
        raw_expert = data.get(f"expert_{group.pk}", "")
        expert = by_id.get(int(raw_expert)) if raw_expert.isdigit() else None
        chosen.append((group, data.get(f"label_{group.pk}", ""), expert))
    return chosen


class AlertSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = EditorAlertSettings
        fields = ["in_desk", "by_email", "group_size", "fast_growth", "round_closed"]
        labels = {
            "in_desk": "Show alerts in the desk",
            "by_email": "Send alerts to my email",
            "group_size": "Tell me when a group passes this many readers (0: never)",
            "fast_growth": "Tell me when a group grows fast",
            "round_closed": "Tell me when a voting round closes",
        }
