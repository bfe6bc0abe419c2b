from typing import Any

from django import forms
from django.db.models import QuerySet

from askdesk.newsrooms.models import Newsroom

MAX_STORY_CHARS = 200_000


class StoryImportForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Leave empty to take it from the text (a title line, the page title, or the call-out).",
    )
    text = forms.CharField(
        label="Story text or HTML",
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=MAX_STORY_CHARS,
        error_messages={"required": "Paste the story's text or the article page's HTML."},
    )

    newsroom = forms.ModelChoiceField(
        label="Newsroom", queryset=Newsroom.objects.none(), empty_label=None, help_text="The newsroom it belongs to."
    )

    def __init__(self, *args: Any, newsrooms: QuerySet[Newsroom], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["newsroom"]
        field.queryset = newsrooms  # type: ignore[attr-defined]
        if len(newsrooms) == 1:
            # One newsroom to choose from: no question to ask.
            self.only_newsroom: Newsroom | None = newsrooms[0]
            field.required = False
            field.widget = forms.HiddenInput()
        else:
            self.only_newsroom = None

    def clean_newsroom(self) -> Newsroom | None:
        return self.cleaned_data.get("newsroom") or self.only_newsroom
