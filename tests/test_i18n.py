"""Every message has its French translation; a new untranslated string fails here."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "community" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ngettext:1,2",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    with open(pot, "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_message_in_the_code_has_a_french_translation(tmp_path):
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = sorted(_extracted_ids(tmp_path) - translated)
    assert not missing, "Run scripts/translations.py and translate:\n" + "\n".join(missing)


def test_translations_keep_every_placeholder():
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        for target in targets:
            assert set(PLACEHOLDER.findall(target)) <= set(PLACEHOLDER.findall(str(message.id))), (
                source
            )


def test_pages_are_in_french_after_switching(client):
    client.post("/language", data={"lang": "fr"})
    for url, french in [
        ("/", "Vérifier une appli"),
        ("/platforms", "Plateformes"),
        ("/login", "Se connecter"),
        ("/register", "pseudonyme"),
        ("/nope", "Désolé"),
    ]:
        assert french.lower() in client.get(url).get_data(as_text=True).lower(), url


def test_error_messages_are_in_french(client):
    client.post("/language", data={"lang": "fr"})
    html = client.post(
        "/register", data={"username": "x", "password": "court", "confirm": ""}
    ).get_data(as_text=True)
    assert "Tapez" in html or "caractères" in html
