from django import forms

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
