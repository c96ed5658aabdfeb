"""The only query language members get: words and "quoted phrases".

No wildcard, range, field or boolean syntax ever reaches the engine, and the size of a query is
bounded, so a hostile query costs no more than an ordinary one.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
MAX_TERM_CHARS = 40
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    notices: tuple[str, ...] = field(default=())  # codes: "shortened", "too_many_words", "no_words"

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.phrases

    def text(self) -> str:
        parts = [f'"{" ".join(phrase)}"' for phrase in self.phrases] + list(self.terms)
        return " ".join(parts)


def _words(text: str) -> list[str]:
    return [word[:MAX_TERM_CHARS] for word in _WORD.findall(text) if word.strip("_")]


def parse(raw: str) -> ParsedQuery:
    notices = []
    text = (raw or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append("shortened")
    phrases, terms = [], []
    for quoted in _PHRASE.findall(text):
        words = _words(quoted)
        if len(words) > 1:
            phrases.append(tuple(words))
        else:
            terms.extend(words)
    terms.extend(_words(_PHRASE.sub(" ", text)))  # an unbalanced quote is just dropped

    budget, kept_phrases = MAX_TERMS, []
    for phrase in phrases:
        if len(phrase) > budget:
            notices.append("too_many_words")
            break
        kept_phrases.append(phrase)
        budget -= len(phrase)
    unique_terms = list(dict.fromkeys(term.casefold() for term in terms))
    if len(unique_terms) > budget:
        notices.append("too_many_words")
    if text and not unique_terms and not kept_phrases:
        notices.append("no_words")
    return ParsedQuery(
        tuple(unique_terms[:budget]), tuple(kept_phrases), tuple(dict.fromkeys(notices))
    )
