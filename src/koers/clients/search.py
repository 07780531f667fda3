"""Folding names for search, so transliteration variants find each other.

Names of statushouders reach Koers through many hands (IND, COA, BRP, a volunteer's spelling),
so one person is Mohammed, Mohamed or Muhammad; Yohannes or Johannes; Al-Haddad or Alhaddad;
Joesef or Yousef. Each name part is reduced to a consonant skeleton after mapping the
spellings that transliteration varies on. A client's `search_key` holds the skeletons of all
name parts as space-separated tokens (" hadad mahamad "); a query's parts are folded the same way
and matched as token prefixes, in one indexed column on both databases.
"""

import re
import unicodedata

# Order matters: longer spellings first.
_SPELLINGS = [
    ("sch", "s"),
    ("dj", "j"),
    ("tj", "j"),
    ("ph", "f"),
    ("kh", "h"),
    ("ch", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("dh", "d"),
    ("th", "t"),
    ("oe", "u"),
    ("ou", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("w", "v"),
    ("y", "j"),
]
_ARTICLES = ("al", "el", "ul")


def _ascii_words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return [word for word in re.split(r"[^a-z]+", plain) if word]


def skeleton(word: str) -> str:
    """Mohammed, Mohamed, Muhammad -> 'mahamad'; Mahmoud -> 'mahmad'; Ibrahim, Ebrahim ->
    'abraham': spellings mapped, every run of vowels one 'a', doubled letters single."""
    for spelling, sound in _SPELLINGS:
        word = word.replace(spelling, sound)
    folded = re.sub(r"[aeiou]+", "a", word)
    folded = re.sub(r"(.)\1+", r"\1", folded)
    if len(folded) > 2 and folded.endswith("h"):
        folded = folded[:-1]  # Fatimah, Fatima
    return folded


def _word_alternatives(word: str) -> set[str]:
    """A word's skeleton; a word with a joined Arabic article ('Alhaddad') also without it,
    so it matches 'Al-Haddad' and 'Haddad'."""
    alternatives = {skeleton(word)}
    for article in _ARTICLES:
        if word.startswith(article) and len(word) > len(article) + 2:
            alternatives.add(skeleton(word[len(article) :]))
    alternatives.discard("")
    return alternatives


def name_tokens(text: str) -> set[str]:
    """Every token of one or more name parts (articles on their own are left out)."""
    tokens: set[str] = set()
    for word in _ascii_words(text):
        if word not in _ARTICLES:
            tokens |= _word_alternatives(word)
    return tokens


def search_key_for(given_names: str, family_name: str) -> str:
    tokens = name_tokens(f"{given_names} {family_name}")
    return " " + " ".join(sorted(tokens)) + " " if tokens else ""


def query_groups(query: str) -> list[set[str]]:
    """What the user typed, per word the alternatives to match as a token prefix: a client
    matches when every word matches through at least one of its alternatives."""
    return [
        _word_alternatives(word)
        for word in _ascii_words(query)
        if word not in _ARTICLES and _word_alternatives(word)
    ]
