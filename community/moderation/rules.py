"""The community rules, versioned: every change is a new dated version, and every earlier one is
kept. Moderation reasons cite a rule by its number in the version in force.

The first version ships with the code (below) and is stored the first time a new version is
published (`flask --app wsgi rules publish FILE --note "..."`).
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from community.core.errors import DomainError, NotFound
from community.extensions import db
from community.moderation.models import RulesVersion

LANGUAGES = ("en", "fr")
FIRST_PUBLISHED_AT = datetime(2026, 1, 1)
FIRST_RULES = [
    {
        "title": {
            "en": "No personal information about anyone.",
            "fr": "Aucune information personnelle sur qui que ce soit.",
        },
        "text": {
            "en": "No real names, worker IDs, emails, addresses or photos of people, yours "
            "included. Blur them on screenshots.",
            "fr": "Pas de vrais noms, d'identifiants de travailleur, d'e-mails, d'adresses ni de "
            "photos de personnes, y compris les vôtres. Floutez-les sur les captures d'écran.",
        },
    },
    {
        "title": {
            "en": "No screener or qualification answers.",
            "fr": "Pas de réponses aux questionnaires de présélection ou de qualification.",
        },
        "text": {
            "en": "Sharing them gets workers banned and ruins studies.",
            "fr": "Les partager fait bannir des travailleurs et fausse les études.",
        },
    },
    {
        "title": {"en": "No reviewing yourself.", "fr": "Pas d'avis sur soi-même."},
        "text": {
            "en": "Requesters and platform staff may answer reviews through the right of "
            "reply, never review themselves.",
            "fr": "Les donneurs d'ordres et le personnel des plateformes peuvent répondre aux "
            "avis grâce au droit de réponse, mais jamais s'évaluer eux-mêmes.",
        },
    },
    {
        "title": {"en": "Facts over insults.", "fr": "Des faits, pas des insultes."},
        "text": {
            "en": "Say what happened: the pay, the time, the outcome. Anger is understandable; "
            "insults are removed.",
            "fr": "Racontez ce qui s'est passé : la rémunération, le temps passé, l'issue. La "
            "colère se comprend ; les insultes sont supprimées.",
        },
    },
]


@dataclass(frozen=True)
class Rule:
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class Rules:
    version: int
    published_at: datetime
    note: str
    rules: list[dict]

    def localized(self, locale: str | None = None) -> list[Rule]:
        language = (locale or str(get_locale() or "en"))[:2]
        if language not in LANGUAGES:
            language = "en"
        return [
            Rule(
                number,
                rule["title"].get(language) or rule["title"]["en"],
                rule["text"].get(language) or rule["text"]["en"],
            )
            for number, rule in enumerate(self.rules, start=1)
        ]

    def __len__(self) -> int:
        return len(self.rules)


FIRST = Rules(1, FIRST_PUBLISHED_AT, "", FIRST_RULES)


def _of(row: RulesVersion) -> Rules:
    return Rules(row.version, row.published_at, row.note, row.rules)


def current() -> Rules:
    row = db.session.scalar(select(RulesVersion).order_by(RulesVersion.version.desc()).limit(1))
    return _of(row) if row else FIRST


def get_version(number: int) -> Rules:
    row = db.session.scalar(select(RulesVersion).where(RulesVersion.version == number))
    if row is not None:
        return _of(row)
    if number == 1:
        return FIRST
    raise NotFound(_("This version of the rules does not exist."))


def versions() -> list[Rules]:
    """Every version, newest first."""
    rows = [
        _of(row)
        for row in db.session.scalars(select(RulesVersion).order_by(RulesVersion.version.desc()))
    ]
    return rows or [FIRST]


def _checked(rules: list) -> list[dict]:
    if not isinstance(rules, list) or not rules:
        raise DomainError(_("The rules must be a non-empty list."))
    for rule in rules:
        for part in ("title", "text"):
            texts = rule.get(part) if isinstance(rule, dict) else None
            if not isinstance(texts, dict) or not all(
                isinstance(texts.get(lang), str) and texts[lang].strip() for lang in LANGUAGES
            ):
                raise DomainError(_("Each rule needs a title and a text in English and French."))
    return rules


def publish(rules: list, note: str) -> Rules:
    """Store a new version (the first one too, if it was only in the code). Caller commits."""
    rules = _checked(rules)
    latest = db.session.scalar(select(func.max(RulesVersion.version)))
    if latest is None:
        db.session.add(
            RulesVersion(version=1, published_at=FIRST_PUBLISHED_AT, note="", rules=FIRST_RULES)
        )
        latest = 1
    row = RulesVersion(version=latest + 1, note=note.strip(), rules=rules)
    db.session.add(row)
    db.session.flush()
    return _of(row)


def publish_file(path: str | Path, note: str) -> Rules:
    with open(path, encoding="utf-8") as handle:
        return publish(json.load(handle), note)


def cited_rule(number: int | None) -> tuple[int | None, int | None]:
    """(rule number, version) for a reason that cites a rule of the version in force."""
    if not number:
        return None, None
    rules = current()
    if not 1 <= number <= len(rules):
        raise DomainError(_("The rules in force have rules 1 to %(count)d.", count=len(rules)))
    return number, rules.version
