"""Comparing addresses as staff type them: full-width forms, spaces and punctuation aside."""

import unicodedata


def address_key(address: str) -> str:
    """Return the form of `address` used to find repeat and duplicate requests at one place.

    NFKC folds full-width letters and digits (３号楼 → 3号楼); whitespace and punctuation are
    dropped (建设路 12号 and 建设路12号。 match); Latin letters are lower-cased.
    """
    folded = unicodedata.normalize("NFKC", address)
    kept = (
        char
        for char in folded
        if not char.isspace() and not unicodedata.category(char).startswith("P")
    )
    return "".join(kept).lower()
