"""Generated text that behaves like a workers' forum for a search engine.

English and French. Each text is one or two real sentences (the demo data's, and more below:
they carry the phrases the bench searches for) and a sentence of words drawn by Zipf's law from
a vocabulary: the words of micro-work first, then every English and French word of the site's
own message catalogue, then a long tail of rare made-up words (names, typos, codes), so that
some words are in a third of the documents and others in two or three.

The text is plain (no Markdown syntax), so its HTML is one <p> per paragraph: the generator
checks that against the site's own renderer on a sample.
"""

import html
import random
import re
from itertools import accumulate
from pathlib import Path

from community.demo import BAD, GOOD, MIDDLE
from community.forum.demo import SENTENCES


def _wordlist(words: str) -> list[str]:
    return words.split()


PO_FILE = Path(__file__).resolve().parents[2] / "community/translations/fr/LC_MESSAGES/messages.po"

EN_COMMON = _wordlist("""
paid pay task tasks requester survey surveys minutes hour hourly rate bonus rejected rejection
approved approval payment payout paypal batch screener qualification instructions account support
platform worker workers reward time estimate fair unfair week day days money cents dollars
message answer email blocked legit scam review reviews work job jobs hits study studies attention
check checks pending returned completed quick long short slow fast good bad great terrible honest
wage minimum transcription audio image images labelling tagging receipts data annotation quality
score rating ratings researcher researchers academic panel bonus timer submit submitted code
completion link broken page error server expired returned timeout queue dashboard balance
withdraw withdrawal threshold fee fees transfer bank gift card amazon prolific mturk toloka
clickworker appen remotasks microworkers newcomer newcomers help question thanks please first
""")
FR_COMMON = _wordlist("""
payé payée paiement rémunération tâche tâches donneur ordres sondage sondages minutes heure
horaire bonus rejeté rejetée refus validé validation virement compte support plateforme
travailleur travailleurs récompense temps estimation juste injuste semaine jour jours argent
centimes euros message réponse courriel bloqué arnaque avis travail mission missions étude
études attention contrôle attente rendu terminé rapide long court lent bon mauvais honnête
salaire minimum transcription audio image images étiquetage annotation qualité note chercheur
chercheurs panel minuteur envoyer code lien cassé erreur serveur expiré solde retrait seuil
frais banque carte cadeau nouveau nouvelle aide question merci bonjour premier première
""")

MORE_EN = [
    "The time estimate was far too short for what they asked.",
    "I was never paid for the last batch and support stopped answering.",
    "Payment arrived on Friday, exactly as the requester said.",
    "The screener took twelve minutes and paid nothing.",
    "They block workers who send a message about a rejection.",
    "Great requester, clear instructions and a fair bonus.",
    "The completion code did not work, so the study was returned.",
    "Minimum payout is ten dollars, which takes a week to reach.",
    "Paid within two days, no questions asked.",
    "The hourly rate drops fast once you count the unpaid time.",
]
MORE_FR = [
    "L'estimation du temps était bien trop courte pour ce qu'ils demandaient.",
    "Je n'ai jamais été payé pour le dernier lot et le support ne répond plus.",
    "Le paiement est arrivé vendredi, comme le donneur d'ordres l'avait dit.",
    "Le questionnaire de sélection a pris douze minutes sans rien payer.",
    "Très bon donneur d'ordres, consignes claires et bonus correct.",
    "Le code de fin ne marchait pas, l'étude a été rendue.",
    "Le seuil de paiement est de dix euros, il faut une semaine pour l'atteindre.",
    "Rémunération horaire faible une fois le temps non payé compté.",
]
_FRENCH_HINT = re.compile(r"[éèêàçùôî]|\b(le|la|les|des|est|une|pour|sans|mon|ma)\b")

# Phrases the bench searches for: each is in one of the sentences above.
PHRASES = [
    "time estimate",
    "never paid",
    "minimum payout",
    "paid within two days",
    "rémunération horaire",
    "completion code",
    "donneur d'ordres",
    "keep screenshots",
    "instructions were clear",
    "hourly rate",
]

SYLLABLES = _wordlist("ka lo mi ten ra su vel do ni pra zu ber qua sha el tor vik an mo ri")
RARE_WORDS = 40_000
ZIPF_EXPONENT = 1.07


def _catalogue_words() -> tuple[list[str], list[str]]:
    """Every word of the site's message catalogue: English from msgid, French from msgstr."""
    text = PO_FILE.read_text(encoding="utf-8")
    english, french = {}, {}
    for kind, line in re.findall(r'^(msgid|msgstr|)\s*"(.*)"$', text, re.M):
        target = english if kind in ("msgid", "") and not line.startswith("Project") else french
        for word in re.findall(r"[^\W\d_]{3,}", line.replace("%(", " ")):
            target.setdefault(word.casefold(), None)
    return list(english), list(french)


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        english, french = _catalogue_words()
        rare = set()
        while len(rare) < RARE_WORDS:
            rare.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))))
        self.rare = sorted(rare)
        rng.shuffle(self.rare)
        tail_en = [w for w in english if w not in EN_COMMON]
        tail_fr = [w for w in french if w not in FR_COMMON]
        rng.shuffle(tail_en)
        rng.shuffle(tail_fr)
        self.vocab = {
            "en": EN_COMMON + tail_en + self.rare,
            "fr": FR_COMMON + tail_fr + self.rare,
        }
        self.cumulative = {
            language: list(
                accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(words)))
            )
            for language, words in self.vocab.items()
        }
        sentences = GOOD + BAD + MIDDLE + SENTENCES + MORE_EN + MORE_FR
        self.sentences = {
            "fr": [s for s in sentences if _FRENCH_HINT.search(s.casefold())],
            "en": [s for s in sentences if not _FRENCH_HINT.search(s.casefold())],
        }

    def language(self) -> str:
        return "fr" if self.rng.random() < 0.3 else "en"

    def words(self, language: str, count: int) -> list[str]:
        return self.rng.choices(
            self.vocab[language], cum_weights=self.cumulative[language], k=count
        )

    def free_sentence(self, language: str, low: int = 6, high: int = 16) -> str:
        words = self.words(language, self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self, language: str) -> str:
        chosen = self.rng.sample(self.sentences[language], self.rng.randint(1, 2))
        return " ".join([*chosen, self.free_sentence(language)])

    def text(self, language: str, paragraphs: int = 1) -> str:
        return "\n\n".join(self.paragraph(language) for _ in range(paragraphs))

    def title(self, language: str) -> str:
        return " ".join(self.words(language, self.rng.randint(3, 7))).capitalize()[:150]


def plain_html(text: str) -> str:
    """The site's Markdown renderer's output for plain paragraphs (checked on a sample)."""
    return "".join(
        f"<p>{html.escape(part, quote=False)}</p>\n" for part in text.split("\n\n") if part
    )
