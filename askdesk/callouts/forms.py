from django import forms

from askdesk.callouts.models import Callout


class CalloutSettingsForm(forms.ModelForm[Callout]):
    closes_at = forms.DateTimeField(
        label="Closing time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="The call-out stops taking questions then, by itself. Leave empty to close it by hand.",
    )

    class Meta:
        model = Callout
        fields = ["prompt", "publication_note", "closes_at", "require_contact", "languages"]
        labels = {
            "prompt": "What readers are asked",
            "publication_note": "What readers are told about publication",
            "require_contact": "Readers must give an email address or a phone number",
        }
        widgets = {"publication_note": forms.Textarea(attrs={"rows": 4})}
