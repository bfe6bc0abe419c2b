from __future__ import annotations

from askdesk.stories.models import Sentence, Story


def story_paragraphs(*, story: Story) -> list[list[Sentence]]:
    """The story's sentences grouped by paragraph, in order."""
    paragraphs: list[list[Sentence]] = []
    current = -1
    for sentence in story.sentences.order_by("position"):
        if sentence.paragraph != current:
            paragraphs.append([])
            current = sentence.paragraph
        paragraphs[-1].append(sentence)
    return paragraphs
