def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/platforms", "/requesters", "/login", "/register", "/rules"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html, url


def test_oversized_bodies_are_refused_with_a_clear_page(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/login", data=b"x" * (limit + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unknown_pages_answer_404_with_a_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)
