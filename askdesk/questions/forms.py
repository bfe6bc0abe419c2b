from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from askdesk.callouts.models import Callout

MIN_AGE, MAX_AGE = 5, 120
DEFAULT_PHONE_REGION = "GB"


class QuestionForm(forms.Form):
    """The reader's form under a story."""

    question = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=3,
        error_messages={
            "required": "Enter your question.",
            "min_length": "Your question is too short. Write at least %(limit_value)d characters.",
        },
    )
    name = forms.CharField(label="Name", required=False, max_length=100)
    age = forms.IntegerField(
        label="Age",
        required=False,
        min_value=MIN_AGE,
        max_value=MAX_AGE,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        error_messages={
            "invalid": "Enter your age as a number, like 34.",
            "min_value": f"Enter an age between {MIN_AGE} and {MAX_AGE}.",
            "max_value": f"Enter an age between {MIN_AGE} and {MAX_AGE}.",
        },
    )
    location = forms.CharField(label="Location", required=False, max_length=100)
    hide_name = forms.BooleanField(label="Don't publish my name", required=False)
    hide_age = forms.BooleanField(label="Don't publish my age", required=False)
    hide_location = forms.BooleanField(label="Don't publish my location", required=False)
    email = forms.EmailField(
        label="Email",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address in the form name@example.com."},
    )
    phone = forms.CharField(
        label="Phone",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to accept the terms and the privacy policy."},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, callout: Callout, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.callout = callout
        limit = settings.ASKDESK_QUESTION_MAX_LENGTH
        question = self.fields["question"]
        assert isinstance(question, forms.CharField)
        question.max_length = limit
        question.validators.append(MaxLengthValidator(limit))
        question.error_messages["max_length"] = (
            f"Your question is too long. Keep it under {limit} characters (it has %(show_value)d)."
        )
        question.widget.attrs["maxlength"] = str(limit)
        # Not the field's help_text: Django would point aria-describedby at an element the page does not have.
        self.question_hint = f"Ask one question, in up to {limit:,} characters. Say what you would like explained."
        question.widget.attrs["data-char-count"] = ""  # askdesk/js/char-count.js shows what is left
        name_attrs = {"name": "name", "age": "off", "location": "address-level2"}
        for field_name, autocomplete in name_attrs.items():
            self.fields[field_name].widget.attrs.setdefault("autocomplete", autocomplete)

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        # "Possible" (right length for its country) rather than "valid": numbering plans change
        # faster than the library, and a reader's real number must never be refused.
        possible = number is not None and (
            phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE
        )
        if number is None or not possible:
            raise forms.ValidationError(
                "Enter a phone number we can call, like 07700 900123 or +44 7700 900123.", code="invalid"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.callout.is_open:
            raise forms.ValidationError("This call-out is closed and no longer takes questions.", code="closed")
        missing_contact = not (cleaned.get("email") or cleaned.get("phone"))
        if self.callout.require_contact and missing_contact and not {"email", "phone"} & set(self.errors):
            self.add_error("email", "Give an email address or a phone number so that we can reach you.")
        return cleaned
