"""Word handling shared by the Domino parser: camel-case splitting, singulars, identifier shapes.

The Domino page glues table cells together, so names, descriptions and schema names are told apart
by the shape of words; these helpers keep that vocabulary in one place.
"""

from __future__ import annotations

import re

#: A model, field or parameter identifier as the page writes them (ASCII letters and digits).
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
#: A field name: camelCase, plus the one name with a space in it (``internal tags``).
FIELD_NAME = re.compile(r"^[a-z][A-Za-z0-9]*(?: [a-z][A-Za-z0-9]*)*$")
#: A lower camelCase word that could be a field name lost between two anchored fields.
CAMEL_WORD = re.compile(r"^[a-z][A-Za-z0-9]*$")
#: Hex hashes (commit ids, object ids) look like identifiers but never are field names.
HEX_HASH = re.compile(r"^[0-9a-f]{16,}$")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
#: A model name's version suffix (``V1``, ``V2``); ``Beta`` models are request bodies only.
VERSION_SUFFIX = re.compile(r"V(\d+)$")


def camel_words(name: str) -> list[str]:
    """``PaginatedDatasetRwEnvelopeV1`` -> ``['Paginated', 'Dataset', 'Rw', 'Envelope', 'V', '1']``."""
    return _CAMEL_PART.findall(name)


def singular(word: str) -> str:
    """A deliberately small English singular: enough for resource nouns, never a dictionary.

    ``repositories`` -> ``repository``, ``jobs`` -> ``job``, ``apis`` -> ``api``; ``status`` and
    ``address`` unchanged.
    """
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("ss", "us")):
        return word
    if lower.endswith("s") and len(word) > 2:
        return word[:-1]
    return word


def is_plural(word: str) -> bool:
    return singular(word) != word


def is_field_candidate(line: str) -> bool:
    """Could this bare line name a field (rather than be an example value)?"""
    return bool(CAMEL_WORD.match(line)) and not HEX_HASH.match(line)
