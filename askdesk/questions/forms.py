from __future__ import annotations

import math
import time
from functools import lru_cache
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from askdesk.callouts.models import Callout
from askdesk.nlp.invisible import visible_strip
from askdesk.questions.formtoken import form_token_valid

MIN_AGE, MAX_AGE = 5, 120
AGE_RANGE = format_lazy(_("Enter an age between {low} and {high}."), low=MIN_AGE, high=MAX_AGE)
DEFAULT_PHONE_REGION = "GB"
# The signed time the form was shown: kept small and in the form, so that a page-wide signed
# token can carry it later. A form older than a day is refused as stale.
FORM_STARTED_SALT = "askdesk.questions.form-started"
FORM_MAX_AGE_SECONDS = 24 * 3600
# What a page shared by every reader carries instead of that time: each response puts the time
# its reader got the page there (``shown_now``), so a cached page cannot hand out an old one.
SHOWN_AT_PLACEHOLDER = "askdesk-form-shown-at"


def form_shown_at(*, callout_id: int) -> str:
    """The signed time, now, at which a reader is shown the call-out's form."""
    # Tenths of a second, rounded down: rounded up, a form sent at once would look shown in the future.
    return _signed_time(callout_id, math.floor(time.time() * 10))


@lru_cache(maxsize=256)
def _signed_time(callout_id: int, tenths: int) -> str:
    # Signed once per tenth of a second and call-out: a busy story page is served thousands of times a second.
    return signing.Signer(salt=FORM_STARTED_SALT).sign(f"{callout_id}:{tenths / 10:.1f}")


def shown_now(body: bytes, *, callout_id: int) -> bytes:
    """A shared page's body with its reader form timed from now."""
    return body.replace(SHOWN_AT_PLACEHOLDER.encode(), form_shown_at(callout_id=callout_id).encode())


class VisibleCharField(forms.CharField):
    """Text whose invisible characters (zero-width spaces, ...) are dropped before the empty and length checks."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str):
            value = visible_strip(value)
            return value or self.empty_value
        return value


class QuestionForm(forms.Form):
    """The reader's form under a story."""

    question = VisibleCharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=3,
        error_messages={
            "required": _("Enter your question."),
            "min_length": _("Your question is too short. Write at least %(limit_value)d characters."),
        },
    )
    name = VisibleCharField(label=_("Name"), required=False, max_length=100)
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=MIN_AGE,
        max_value=MAX_AGE,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        error_messages={
            "invalid": _("Enter your age as a number, like 34."),
            "min_value": AGE_RANGE,
            "max_value": AGE_RANGE,
        },
    )
    location = VisibleCharField(label=_("Location"), required=False, max_length=100)
    hide_name = forms.BooleanField(label=_("Don't publish my name"), required=False)
    hide_age = forms.BooleanField(label=_("Don't publish my age"), required=False)
    hide_location = forms.BooleanField(label=_("Don't publish my location"), required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an email address in the form name@example.com.")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to accept the terms and the privacy policy.")},
    )
    # Made in the reader's browser (askdesk/form.js), so that cached pages carry none; a reader
    # without scripts gets one made when the form arrives.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Signed, bound to the call-out, the same for every reader within an hour (formtoken.py).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Against scripts: a field people never see (bots fill every field) and the time the form
    # was shown, signed, so that a form sent faster than a person can type is refused.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, callout: Callout, shared: bool = False, **kwargs: Any) -> None:
        """``shared``: the form is on a page rendered once for every reader; see ``shown_now``."""
        super().__init__(*args, **kwargs)
        self.callout = callout
        self.fields["website"].widget.attrs["tabindex"] = "-1"
        self.fields["started"].initial = SHOWN_AT_PLACEHOLDER if shared else form_shown_at(callout_id=callout.pk)
        limit = settings.ASKDESK_QUESTION_MAX_LENGTH
        question = self.fields["question"]
        assert isinstance(question, forms.CharField)
        question.max_length = limit
        question.validators.append(MaxLengthValidator(limit))
        question.error_messages["max_length"] = format_lazy(
            _("Your question is too long. Keep it under {limit} characters (it has %(show_value)d)."), limit=limit
        )
        question.widget.attrs["maxlength"] = str(limit)
        # Not the field's help_text: Django would point aria-describedby at an element the page does not have.
        self.question_hint = format_lazy(
            _("Ask one question, in up to {limit} characters. Say what you would like explained."), limit=f"{limit:,}"
        )
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
                _("Enter a phone number we can call, like 07700 900123 or +44 7700 900123."), code="invalid"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave the last field empty."), code="honeypot")
        return ""

    def clean_started(self) -> float | None:
        """Seconds the reader spent on the form; refuses forms sent too fast, forged or stale."""
        minimum = settings.ASKDESK_FORM_MIN_SECONDS
        raw = self.cleaned_data.get("started", "")
        if not raw and minimum <= 0:
            return None
        try:
            callout_pk, _colon, shown = signing.Signer(salt=FORM_STARTED_SALT).unsign(raw).partition(":")
            spent = time.time() - float(shown)
        except (signing.BadSignature, ValueError):
            callout_pk, spent = "", -1.0
        if callout_pk != str(self.callout.pk) or not 0 <= spent <= FORM_MAX_AGE_SECONDS:
            raise forms.ValidationError(
                _("This form is out of date. Reload the page, then send your question again."), code="stale"
            )
        if spent < minimum:
            raise forms.ValidationError(
                _("That was very quick. Check your question, then send it again."), code="too_fast"
            )
        return spent

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.callout.is_open:
            raise forms.ValidationError(_("This call-out is closed and no longer takes questions."), code="closed")
        if not form_token_valid(cleaned.get("form_token", ""), callout_id=self.callout.pk):
            raise forms.ValidationError(
                _(
                    "This form was open for a long time and has expired. Your question is not sent yet: "
                    "please send it again."
                ),
                code="expired",
            )
        missing_contact = not (cleaned.get("email") or cleaned.get("phone"))
        if self.callout.require_contact and missing_contact and not {"email", "phone"} & set(self.errors):
            self.add_error("email", _("Give an email address or a phone number so that we can reach you."))
        return cleaned
