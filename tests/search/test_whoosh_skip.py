"""Whoosh's posting matcher skips inside a block by binary search (whoosh_backend._skip_to):
intersections over many blocks find exactly the documents holding every word."""

from datetime import datetime

from whoosh import index
from whoosh.query import And, Term

from community.search.whoosh_backend import build_schema


def test_two_words_that_rarely_meet_find_every_document_with_both(tmp_path):
    ix = index.create_in(str(tmp_path), build_schema())
    writer = ix.writer()
    for number in range(3000):
        words = ["paid" if number % 2 == 0 else "late", "passees" if number % 7 == 0 else "vite"]
        if number % 3 == 0:
            words.append("bonus")
        writer.add_document(
            key=str(number), kind="post", body=" ".join(words), created=datetime(2026, 1, 1)
        )
    writer.commit()
    with ix.searcher() as searcher:
        for words, expected in [
            (("paid", "passees"), {n for n in range(3000) if n % 14 == 0}),
            (("paid", "passees", "bonus"), {n for n in range(3000) if n % 42 == 0}),
            (("late", "bonus"), {n for n in range(3000) if n % 2 and n % 3 == 0}),
        ]:
            found = searcher.search(And([Term("body", w) for w in words]), limit=None)
            assert {int(hit["key"]) for hit in found} == expected, words
