"""The pages for people: the API's terms and the userscript, in English and French."""

from tests.conftest import build_app


def test_the_api_terms_page_says_what_the_api_offers_and_forbids(client):
    html = client.get("/api").get_data(as_text=True)
    assert "Public API" in html
    assert "You may not use the data to identify, track or manage workers." in html
    assert "120/minute" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'href="/userscript"' in html


def test_the_rate_limit_shown_is_the_configured_one(tmp_path_factory):
    app = build_app(tmp_path_factory, API_RATE_LIMIT="30/minute")
    with app.app_context():
        assert "30/minute" in app.test_client().get("/api").get_data(as_text=True)


def test_the_userscript_page_explains_what_it_sends_and_links_the_script(client):
    html = client.get("/userscript").get_data(as_text=True)
    assert "Only the requester identifiers shown on the page" in html
    assert 'href="/static/userscript/taskopticon.user.js"' in html
    assert "Tampermonkey" in html
    assert 'href="/api"' in html


def test_the_userscript_is_served_with_its_metadata_block(client):
    response = client.get("/static/userscript/taskopticon.user.js")
    assert response.status_code == 200
    assert "javascript" in response.content_type
    script = response.get_data(as_text=True)
    assert script.startswith("// ==UserScript==")
    for line in ("@name", "@match        https://worker.mturk.com/*", "@version", "@grant"):
        assert line in script
    assert 'const TASKOPTICON_URL = "' in script
    response.close()


def test_both_pages_are_in_french_and_linked_from_every_footer(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/api"' in home and 'href="/userscript"' in home
    client.post("/language", data={"lang": "fr"})
    terms = client.get("/api").get_data(as_text=True)
    assert "API publique" in terms
    assert "identifier, suivre ou gérer des travailleurs" in terms
    userscript = client.get("/userscript").get_data(as_text=True)
    assert "Script pour navigateur" in userscript
    assert "Seulement les identifiants des donneurs d'ordres" in userscript
