"""The archive's vocabulary: every word that a search document holds, as written (lower
case), for the search page's "Did you mean …?" (publications.search.suggest).

Words are added whenever documents are rebuilt and never removed: a word that no
longer finds anything public (its publication was withdrawn, or is still a draft) is
never suggested, because a suggestion is first tried as a search of public
publications.
"""

import re

from django.db import models

# A word worth suggesting: letters only (no numbers, codes or addresses), from three
# letters to the longest real words. PostgreSQL's refresh says the same in SQL
# (search.postgresql.VOCABULARY_WORD).
WORD = re.compile(r"[^\W\d_]+")
MIN_WORD_LENGTH, MAX_WORD_LENGTH = 3, 40


class SearchWord(models.Model):
    word = models.CharField(max_length=MAX_WORD_LENGTH, unique=True)

    class Meta:
        ordering = ["word"]
        # PostgreSQL also has a trigram index on `word`, for similarity (migration 0022).

    def __str__(self):
        return self.word


def words_of(text):
    """The distinct vocabulary words of `text`, in lower case."""
    return {
        match.lower()
        for match in WORD.findall(text)
        if MIN_WORD_LENGTH <= len(match) <= MAX_WORD_LENGTH
    }
