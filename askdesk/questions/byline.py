"""The published byline: only what the reader gave, and only the parts they allowed."""

from __future__ import annotations

from typing import Protocol


def build_byline(
    *,
    name: str,
    age: int | None,
    location: str,
    publish_name: bool,
    publish_age: bool,
    publish_location: bool,
) -> str:
    """'Sara, 34, Leeds'; 'A 34-year-old reader from Leeds'; 'A reader from Leeds'; 'A reader'."""
    shown_name = name.strip() if publish_name else ""
    shown_age = age if publish_age and age is not None else None
    shown_location = location.strip() if publish_location else ""
    if shown_name:
        parts = [shown_name]
        if shown_age is not None:
            parts.append(str(shown_age))
        if shown_location:
            parts.append(shown_location)
        return ", ".join(parts)
    byline = f"A {shown_age}-year-old reader" if shown_age is not None else "A reader"
    if shown_location:
        byline += f" from {shown_location}"
    return byline


class HasBylineFields(Protocol):
    name: str
    age: int | None
    location: str
    publish_name: bool
    publish_age: bool
    publish_location: bool


def byline_for(question: HasBylineFields) -> str:
    """The byline a question would be published with now."""
    return build_byline(
        name=question.name,
        age=question.age,
        location=question.location,
        publish_name=question.publish_name,
        publish_age=question.publish_age,
        publish_location=question.publish_location,
    )
