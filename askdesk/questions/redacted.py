"""A question's wording as it may leave the desk (API, webhooks): contact details typed into it replaced."""

from __future__ import annotations

from askdesk.nlp.scrub import scrub
from askdesk.questions.models import Question


def wording_without_contacts(question: Question) -> str:
    text = question.display_text
    return scrub(text).text if question.contact_spans else text


def label_without_contacts(label: str) -> str:
    """A group's label (made from a reader's words) with any contact detail replaced."""
    return scrub(label).text
