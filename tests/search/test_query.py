from community.search.query import MAX_TERMS, parse


def test_words_and_quoted_phrases():
    parsed = parse('late pay "never paid" Rémunération')
    assert parsed.terms == ("late", "pay", "rémunération")
    assert parsed.phrases == (("never", "paid"),)


def test_engine_syntax_is_plain_text():
    for hostile in ("*", "title:*", "[a TO z]", "id:1 OR id:2", "a* b?", "~fuzzy^3", "NOT AND OR"):
        parsed = parse(hostile)
        assert all(":" not in t and "*" not in t and "[" not in t for t in parsed.terms), hostile


def test_symbols_only_give_no_words_and_a_notice():
    parsed = parse("*** ((( ]]] :::")
    assert parsed.is_empty
    assert "no_words" in parsed.notices


def test_size_is_bounded():
    parsed = parse("word " * 5000)
    assert "shortened" in parsed.notices
    many = parse(" ".join(f"w{i}" for i in range(50)))
    assert len(many.terms) == MAX_TERMS and "too_many_words" in many.notices
    assert all(len(t) <= 40 for t in parse("x" * 500).terms)


def test_unbalanced_quotes_are_harmless():
    parsed = parse('"never paid')
    assert parsed.terms == ("never", "paid")
