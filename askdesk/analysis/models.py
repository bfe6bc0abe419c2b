"""Vectors the background worker keeps so it never embeds the same text twice."""

from typing import Any

import numpy as np
from django.db import models

from askdesk.questions.models import Question
from askdesk.stories.models import Sentence


class QuestionVector(models.Model):
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="vector")
    # Vectors of different embedders are never compared: each row names its embedder.
    embedder = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["embedder", "question"], name="question_vector_embedder")]

    def __str__(self) -> str:
        return f"{self.embedder} vector of question {self.question_id}"


class SentenceVector(models.Model):
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="vectors")
    embedder = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sentence", "embedder"], name="sentence_vector_embedder")]

    def __str__(self) -> str:
        return f"{self.embedder} vector of sentence {self.sentence_id}"


def decode_vector(raw: bytes | memoryview) -> np.ndarray[Any, np.dtype[np.float32]]:
    """A stored ``vector`` (float32 bytes, as the worker writes them) as an array."""
    return np.frombuffer(bytes(raw), dtype=np.float32)
