"""Citing a publication: the "Cite this" text on the article page, BibTeX and RIS files."""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_author, make_publication, make_type

# Citations are text built from a publication's fields in Python:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

MARCH_3 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def make_cited(title="Crisis on the Peninsula", names=("Shin, Mitch",), **fields):
    """A published Policy Brief of 3 March 2026 by authors with these sort names."""
    authors = [
        make_author(" ".join(reversed(sort_name.split(", "))), sort_name=sort_name)
        for sort_name in names
    ]
    fields.setdefault("publication_type", make_type("Policy Brief"))
    return make_publication(title, authors=authors, published_at=MARCH_3, **fields)


def cite_text(client, publication):
    page = client.get(publication.get_absolute_url()).content.decode()
    return re.search(r'<p class="cite__text" id="citation-text">(.*?)</p>', page).group(1)


def bibtex_fields(client, publication):
    """{field: value} of the publication's BibTeX entry, and the entry's type and key."""
    response = client.get(reverse("publications:cite-bib", args=[publication.slug]))
    text = response.content.decode()
    entry_type, key = re.match(r"@(\w+)\{([^,]+),\n", text).groups()
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},$", text, re.MULTILINE))
    fields.update(re.findall(r"^  (month) = (\w+),$", text, re.MULTILINE))
    return entry_type, key, fields


def read_bibtex(text):
    """The entry's (field, value) pairs as BibTeX reads them, and what follows the brace
    that closes the entry.

    Like BibTeX, it counts every brace, escaped or not: a braced value ends at the
    brace that balances its opening one, whatever backslash stands before it.
    """
    position = re.match(r"@\w+\{[^,]*,", text).end()
    fields = []
    while field := re.compile(r"\s*(\w+)\s*=\s*").match(text, position):
        position = field.end()
        if text[position] == "{":
            depth, start = 0, position
            for position in range(start, len(text)):
                depth += {"{": 1, "}": -1}.get(text[position], 0)
                if depth == 0:
                    break
            assert depth == 0, f"the {field[1]} value never closes"
            value, position = text[start + 1 : position], position + 1
        else:  # a number or a macro such as a month
            bare = re.compile(r"\w+").match(text, position)
            value, position = bare[0], bare.end()
        fields.append((field[1], value))
        comma = re.compile(r"\s*,").match(text, position)
        if not comma:
            break
        position = comma.end()
    closing = re.compile(r"\s*\}").match(text, position)
    assert closing, f"the entry does not close where it should: {text[position:]!r}"
    return fields, text[closing.end() :]


def bibtex_text(client, publication):
    response = client.get(reverse("publications:cite-bib", args=[publication.slug]))
    return response.content.decode()


def ris_lines(client, publication):
    response = client.get(reverse("publications:cite-ris", args=[publication.slug]))
    return response.content.decode().split("\r\n")


# Chicago author-date on the article page


def test_the_article_page_cites_one_author_in_chicago_author_date_style(client, settings):
    settings.THINKTANK_NAME = "Asia Policy Institute"
    publication = make_cited()

    assert cite_text(client, publication) == (
        "Shin, Mitch. 2026. “Crisis on the Peninsula.” Policy Brief. Asia Policy Institute, "
        "March 3, 2026. http://testserver/publications/crisis-on-the-peninsula/."
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Shin, Mitch", "Lindqvist, Hana"], "Shin, Mitch, and Hana Lindqvist. 2026."),
        (
            ["Shin, Mitch", "Lindqvist, Hana", "Müller, Jörg"],
            "Shin, Mitch, Hana Lindqvist, and Jörg Müller. 2026.",
        ),
        (
            [f"Family{n}, Given{n}" for n in range(1, 11)],
            "Family1, Given1, Given2 Family2, Given3 Family3, Given4 Family4, Given5 Family5, "
            "Given6 Family6, Given7 Family7, Given8 Family8, Given9 Family9, and Given10 Family10. 2026.",
        ),
        (
            [f"Family{n}, Given{n}" for n in range(1, 12)],
            "Family1, Given1, Given2 Family2, Given3 Family3, Given4 Family4, Given5 Family5, "
            "Given6 Family6, Given7 Family7, et al. 2026.",
        ),
    ],
    ids=["two", "three", "ten listed", "eleven: seven and et al."],
)
def test_the_first_author_is_inverted_and_and_comes_before_the_last(client, names, expected):
    publication = make_cited(names=names)

    assert cite_text(client, publication).startswith(expected + " “Crisis")


def test_without_authors_the_organisation_is_the_author(client, settings):
    settings.THINKTANK_NAME = "Asia Policy Institute"
    publication = make_cited(names=())

    assert cite_text(client, publication).startswith("Asia Policy Institute. 2026. “Crisis")


def test_a_title_ending_in_a_question_mark_gets_no_extra_period(client):
    publication = make_cited("Is Deterrence Failing?")

    assert "“Is Deterrence Failing?” Policy Brief." in cite_text(client, publication)


def test_the_cite_block_links_both_downloads_and_its_copy_button_waits_for_javascript(client):
    publication = make_cited()

    response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/publications/crisis-on-the-peninsula/cite.bib" download>BibTeX' in page
    assert 'href="/publications/crisis-on-the-peninsula/cite.ris" download>RIS' in page
    # Hidden until static/js/cite.js finds a clipboard; the status is announced.
    assert re.search(r"<button [^>]*data-copy=\"citation-text\" hidden>", page)
    assert 'role="status" aria-live="polite"' in page
    assert re.search(r'<script src="/static/js/cite\.js" defer></script>', page)


# BibTeX


def test_the_bibtex_file_is_a_utf8_attachment_named_after_the_slug(client):
    publication = make_cited()

    response = client.get(reverse("publications:cite-bib", args=[publication.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="crisis-on-the-peninsula.bib"')


def test_the_bibtex_entry_field_by_field(client, settings):
    settings.THINKTANK_NAME = "Asia Policy Institute"
    publication = make_cited(
        names=["Shin, Mitch", "Lindqvist, Hana"], tags=["nuclear", "alliances"]
    )

    entry_type, key, fields = bibtex_fields(client, publication)

    assert entry_type == "techreport"
    assert key == "shin2026crisis"
    assert fields == {
        "author": "Shin, Mitch and Lindqvist, Hana",
        "title": "{Crisis} on the {Peninsula}",
        "type": "Policy Brief",
        "institution": "Asia Policy Institute",
        "year": "2026",
        "date": "2026-03-03",
        "month": "mar",
        "url": "http://testserver/publications/crisis-on-the-peninsula/",
        "keywords": "alliances, nuclear",
    }


def test_bibtex_keeps_accents_and_apostrophes_as_utf8_and_the_key_plain(client):
    publication = make_cited(
        "The Côte d'Ivoire Question",
        names=["Müller, Jörg", "O’Brien, Siobhán", "de la Côte, Amélie"],
    )

    _, key, fields = bibtex_fields(client, publication)

    assert fields["author"] == "Müller, Jörg and O’Brien, Siobhán and de la Côte, Amélie"
    assert fields["title"] == "{The} {Côte} {d'Ivoire} {Question}"
    assert key == "muller2026cote"


def test_bibtex_keys_of_titles_in_other_scripts_are_transliterated_and_tell_them_apart(client):
    nuclear = make_cited("북한의 핵 위기", names=["김, 소라"])
    economy = make_publication("남북 경제 협력", authors=nuclear.byline, published_at=MARCH_3)
    okinawa = make_publication("沖縄の安全保障", published_at=MARCH_3)

    keys = [bibtex_fields(client, each)[1] for each in (nuclear, economy, okinawa)]

    assert keys == ["gim2026bughanui", "gim2026nambug", "thinktank2026chongshengnoanqu"]


def test_a_title_without_letters_or_digits_gives_a_bibtex_key_with_the_publication_number(
    client,
):
    publication = make_cited("★ — ★")

    assert bibtex_fields(client, publication)[1] == f"shin2026p{publication.pk}"


def test_bibtex_escapes_every_latex_special_character_in_a_title(client):
    publication = make_cited(r"R&D at 5% {Costs} $1 #2 a_b ~x ^y C:\Data")

    _, key, fields = bibtex_fields(client, publication)

    assert fields["title"] == (
        r"{R\&D} at 5\% {{\textbraceleft{}Costs\textbraceright{}}} \$1 \#2 a\_b "
        r"\textasciitilde{}x \textasciicircum{}y {C:\textbackslash{}Data}"
    )
    assert key == "shin2026rd"


def test_an_organisation_as_author_is_braced_whole_in_bibtex(client, settings):
    settings.THINKTANK_NAME = "Policy & Research Centre"
    publication = make_cited(names=())

    _, key, fields = bibtex_fields(client, publication)

    assert fields["author"] == r"{Policy \& Research Centre}"
    assert fields["institution"] == r"Policy \& Research Centre"
    assert key == "policyresearchcentre2026crisis"


BIBTEX_FIELDS = ["author", "title", "type", "institution", "year", "date", "url", "month"]


def test_a_title_cannot_close_its_field_and_add_a_url_to_the_bibtex_entry(client):
    publication = make_cited("x}, url = Https://evil.example/pwn")

    fields, after = read_bibtex(bibtex_text(client, publication))

    assert [name for name, _ in fields] == BIBTEX_FIELDS
    assert dict(fields)["url"] == "http://testserver/publications/x-url-httpsevilexamplepwn/"
    assert after == "\n"


def test_unpaired_braces_anywhere_leave_the_bibtex_entry_whole(client, settings):
    settings.THINKTANK_NAME = "Think {Tank"
    publication = make_cited(
        "{Open and } close }} {{",
        names=["Sh{in, Mi}tch}", "{Lindqvist"],
        publication_type=make_type("Brief }{"),
        tags=["nu}clear", "{alliances"],
    )

    fields, after = read_bibtex(bibtex_text(client, publication))

    assert [name for name, _ in fields] == [*BIBTEX_FIELDS[:-1], "keywords", "month"]
    assert after == "\n"


def test_a_word_starting_with_a_latex_command_stays_protected_from_case_changes(client):
    """BibTeX reads "{\\" as one accented letter whose case styles may change; "{{" is
    a protected group."""
    publication = make_cited("{Costs} of R&D")

    _, _, fields = bibtex_fields(client, publication)

    assert fields["title"] == r"{{\textbraceleft{}Costs\textbraceright{}}} of {R\&D}"


# RIS


def test_the_ris_file_field_by_field_with_crlf_line_ends(client, settings):
    settings.THINKTANK_NAME = "Asia Policy Institute"
    publication = make_cited(
        names=["Müller, Jörg", "O’Brien, Siobhán"],
        tags=["nuclear", "alliances"],
        lead="North Korea tested\n\n a new missile.",
    )

    response = client.get(reverse("publications:cite-ris", args=[publication.slug]))

    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="crisis-on-the-peninsula.ris"')
    assert response.content.decode().split("\r\n") == [
        "TY  - RPRT",
        "AU  - Müller, Jörg",
        "AU  - O’Brien, Siobhán",
        "TI  - Crisis on the Peninsula",
        "PY  - 2026",
        "DA  - 2026/03/03",
        "M3  - Policy Brief",
        "PB  - Asia Policy Institute",
        "UR  - http://testserver/publications/crisis-on-the-peninsula/",
        "AB  - North Korea tested a new missile.",
        "KW  - alliances",
        "KW  - nuclear",
        "ER  - ",
        "",
    ]


def test_ris_keeps_braces_and_special_characters_in_a_title_as_they_are(client):
    publication = make_cited(r"R&D at 5% {Costs} C:\Data")

    assert r"TI  - R&D at 5% {Costs} C:\Data" in ris_lines(client, publication)


def test_line_breaks_in_a_title_or_name_cannot_start_a_ris_tag_or_record(client):
    publication = make_cited(
        "Crisis\nER  - \r\nTY  - JOUR\rTI  - Forged\u2028AU  - Forged",
        names=["Shin\nER  - , Mitch\r\nTY  - BOOK"],
        tags=["nuclear\nKW  - forged"],
    )

    lines = ris_lines(client, publication)

    assert lines[-1] == ""
    for line in lines[:-1]:
        assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
        assert line.splitlines() == [line]
    assert [line[:2] for line in lines[:-1]].count("TY") == 1
    assert [line[:2] for line in lines[:-1]].count("ER") == 1
    assert "TI  - Crisis ER - TY - JOUR TI - Forged AU - Forged" in lines
    assert "AU  - Shin ER -, Mitch TY - BOOK" in lines


def test_control_characters_never_reach_a_bibtex_or_ris_file(client):
    publication = make_cited(
        "Crisis\x01 on the\x0bPeninsula\ufffe",
        names=["Sh\x02in, Mitch\x1f"],
        publication_type=make_type("Policy\x03 Brief"),
        tags=["nuc\x04lear"],
        lead="North\x05 Korea.",
    )

    bibtex_lines = bibtex_text(client, publication).split("\n")
    lines = ris_lines(client, publication)

    for line in [*bibtex_lines, *lines]:
        assert not [char for char in line if unicodedata.category(char) in ("Cc", "Cn")], line
    _, _, fields = bibtex_fields(client, publication)
    assert fields["title"] == "{Crisis} on the {Peninsula}"
    assert fields["author"] == "Shin, Mitch"
    for line in [
        "TI  - Crisis on the Peninsula",
        "AU  - Shin, Mitch",
        "M3  - Policy Brief",
        "KW  - nuclear",
        "AB  - North Korea.",
    ]:
        assert line in lines


# Only what is public


@pytest.mark.parametrize("name", ["publications:cite-bib", "publications:cite-ris"])
@pytest.mark.parametrize(
    "fields",
    [
        {"status": "draft"},
        {"status": "review"},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "in review", "scheduled"],
)
def test_nothing_that_is_not_public_can_be_cited(client, name, fields):
    publication = make_publication("Not Yet", **fields)

    response = client.get(reverse(name, args=[publication.slug]))

    assert response.status_code == 404
