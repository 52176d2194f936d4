"""Cheap reads of a Doc's text for the rule components.

`Doc.text` and `Span.text` re-join every token (a Python `Token` object each)
on every call; the rules read the text many times per article, so it is read
once and sliced by character offsets.
"""
from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span

_KEY = "depeche_text"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


class TextKeepingTokenizer:
    """Wraps the pipeline's tokenizer so that every Doc keeps the string it was
    made from (spaCy's tokenizer is non-destructive: it equals `doc.text`)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[_KEY] = text
        return doc

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def span_text(span: Span) -> str:
    return text_of(span.doc)[span.start_char:span.end_char]


class Sentences:
    """Sentence of a span by bisection: `span.sent` walks tokens on every call."""

    def __init__(self, doc: Doc) -> None:
        self.sents = list(doc.sents)
        self.starts = [s.start for s in self.sents]

    def of(self, span: Span) -> Span:
        return self.sents[bisect_left(self.starts, span.start + 1) - 1]
