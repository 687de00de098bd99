"""WordPress bodies as our editor's HTML (publications.importers.wordpress_bodies):
each mapping on the smallest body that shows it, then through the sanitiser as
Publication.save() would store it."""

import pytest

from publications.importers.wordpress_bodies import CHANGED, convert, image_file_candidates
from publications.richtext.sanitize import sanitize_html

# Strings in, strings out: nothing here touches the database.
pytestmark = pytest.mark.only_in_sqlite_pass

UPLOADS = "https://old.example.org/wp-content/uploads/2024/02/"
ATTACHMENTS = {
    "201": {
        "url": f"{UPLOADS}chart.png",
        "file": "2024/02/chart.png",
        "title": "Exports chart",
        "alt": "Bar chart of exports",
        "caption": "Exports",
        "parent": "100",
    },
    "202": {
        "url": f"{UPLOADS}map.png",
        "file": "2024/02/map.png",
        "title": "Strait map",
        "alt": "Map of the strait",
        "caption": "",
        "parent": "100",
    },
    "210": {
        "url": f"{UPLOADS}interview.mp3",
        "file": "2024/02/interview.mp3",
        "title": "Interview with the minister",
        "alt": "",
        "caption": "",
        "parent": "100",
    },
}


class Library:
    """Stands in for the importer: pictures under /uploads/ are 'copied' to /media/."""

    def __init__(self):
        self.asked = []

    def __call__(self, src, attachment_id, alt, caption):
        self.asked.append((src, attachment_id, alt, caption))
        if "/uploads/" in src and "gone" not in src:
            return f"/media/images/{src.rsplit('/', 1)[-1]}", ""
        return None, "is not in the media folder"


def converted(content, excerpt="The excerpt.", library=None):
    return convert(
        content,
        excerpt,
        attachments=ATTACHMENTS,
        post_id="100",
        place_image=library or Library(),
    )


def body_of(content, excerpt="The excerpt."):
    """The body as Publication.save() stores it."""
    return sanitize_html(converted(content, excerpt).body)


def test_the_first_paragraph_becomes_the_introduction_and_leaves_the_body():
    result = converted("<p>The opening.</p>\n<p>The argument.</p>", excerpt="")

    assert result.lead == "The opening."
    assert sanitize_html(result.body) == "<p>The argument.</p>"
    assert "first" in result.changes


def test_the_text_before_more_becomes_the_introduction_and_leaves_the_body():
    result = converted("The teaser.<!--more-->The rest.", excerpt="")

    assert result.lead == "The teaser."
    assert sanitize_html(result.body) == "<p>The rest.</p>"
    assert "more" in result.changes


def test_an_excerpt_is_the_introduction_and_the_body_keeps_its_opening():
    result = converted("<p>The opening.</p>", excerpt="How far &amp; how <em>long</em>.")

    assert result.lead == "How far & how long."
    assert sanitize_html(result.body) == "<p>The opening.</p>"
    assert not result.changes


def test_an_embeds_link_is_not_taken_for_the_first_paragraph():
    content = (
        '<!-- wp:embed {"url":"https://youtu.be/a"} --><figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">https://youtu.be/a</div></figure><!-- /wp:embed -->'
        "<!-- wp:paragraph --><p>The opening.</p><!-- /wp:paragraph -->"
    )

    result = converted(content, excerpt="")

    assert result.lead == "The opening."
    assert sanitize_html(result.body) == (
        '<p><a href="https://youtu.be/a" rel="noopener noreferrer">https://youtu.be/a</a></p>'
    )


@pytest.mark.parametrize(
    ("figure", "lead"),
    [
        ('<img src="x.png" alt="Bar chart"><figcaption>Exports fell</figcaption>', "Exports fell"),
        ('<img src="x.png" alt="Bar chart">', "Bar chart"),
    ],
    ids=["caption", "alt text"],
)
def test_a_post_of_only_a_picture_takes_its_introduction_from_its_caption_or_alt(figure, lead):
    result = converted(f"<!-- wp:image --><figure>{figure}</figure><!-- /wp:image -->", "")

    assert result.lead == lead
    assert "picture lead" in result.changes


def test_the_pictures_of_an_item_not_brought_over_are_listed_in_one_warning():
    result = converted(
        '<p>Ports.</p><p><img src="a.png" alt="A"></p><p><img src="b.png" alt="B"></p>', ""
    )

    assert result.warnings == [
        "2 pictures are shown as links to their old addresses: a.png is not in the media "
        "folder; b.png is not in the media folder."
    ]
    assert result.body.count("<a href=") == 2


def test_a_post_with_no_words_at_all_is_reported():
    result = converted('<!-- wp:image --><figure><img src="x.png" alt=""></figure>', "")

    assert result.lead == ""
    assert result.warnings == [
        "the picture x.png is not in the media folder: it is shown as a link to its old address.",
        "it has no excerpt, paragraph or picture caption to take an Introduction "
        "from: write one in the admin (until then its page shows none).",
    ]


@pytest.mark.parametrize(
    ("heading", "expected", "change"),
    [("h1", "h2", "h1"), ("h5", "h4", "h5"), ("h6", "h4", "h5")],
)
def test_a_heading_outside_the_editors_range_takes_the_nearest_level(heading, expected, change):
    result = converted(f"<{heading}>Aims</{heading}>")

    assert sanitize_html(result.body) == f"<{expected}>Aims</{expected}>"
    assert change in result.changes


def test_the_editors_own_headings_are_kept():
    assert body_of("<h2>A</h2><h3>B</h3><h4>C</h4>") == "<h2>A</h2><h3>B</h3><h4>C</h4>"


def test_preformatted_text_becomes_a_paragraph_keeping_its_lines_and_indents():
    body = body_of("<pre>if ships:\n    inspect(ships)\n&lt;done&gt;</pre>")

    assert body == "<p>if ships:<br>&nbsp;&nbsp;&nbsp;&nbsp;inspect(ships)<br>&lt;done&gt;</p>"


def test_deleted_inserted_and_code_text_map_to_what_the_editor_has():
    result = converted("<p>Prices <del>rose</del> <ins>fell</ins> by <code>3%</code>.</p>")

    assert sanitize_html(result.body) == "<p>Prices <s>rose</s> fell by 3%.</p>"
    assert {"del", "ins", "code"} <= result.changes


def test_a_definition_list_becomes_a_paragraph_per_term_and_per_definition():
    body = body_of("<dl><dt>Embargo</dt><dd>A ban on trade.</dd><dd>Or on arms.</dd></dl>")

    assert body == ("<p><strong>Embargo</strong></p><p>A ban on trade.</p><p>Or on arms.</p>")


def test_an_embed_block_decodes_its_address_and_keeps_its_caption():
    content = (
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc\\u0026t=42","type":"video"} -->'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=abc&amp;t=42\n</div>"
        "<figcaption>The minister's speech</figcaption></figure><!-- /wp:embed -->"
    )

    body = body_of(content)

    assert body == (
        '<p><a href="https://www.youtube.com/watch?v=abc&amp;t=42" rel="noopener noreferrer">'
        "https://www.youtube.com/watch?v=abc&amp;t=42</a><br>The minister's speech</p>"
    )
    assert "\\u0026" not in body


def test_a_web_address_on_a_line_of_its_own_becomes_a_link_and_one_in_a_sentence_stays_text():
    body = body_of("See this:\n\nhttps://twitter.com/x/status/1\n\nor https://example.org today.")

    assert body == (
        "<p>See this:</p>"
        '<p><a href="https://twitter.com/x/status/1" rel="noopener noreferrer">'
        "https://twitter.com/x/status/1</a></p>"
        "<p>or https://example.org today.</p>"
    )


@pytest.mark.parametrize(
    ("shortcode", "link"),
    [
        (
            f'[audio mp3="{UPLOADS}interview.mp3"][/audio]',
            f'<a href="{UPLOADS}interview.mp3" rel="noopener noreferrer">'
            "Audio: Interview with the minister</a>",
        ),
        (
            '[video src="https://cdn.example.net/speech.mp4"]',
            '<a href="https://cdn.example.net/speech.mp4" rel="noopener noreferrer">'
            "Video: speech.mp4</a>",
        ),
        (
            "[wpvideo bd2G0c0g w=640]",
            '<a href="https://videopress.com/v/bd2G0c0g" rel="noopener noreferrer">'
            "Video: VideoPress</a>",
        ),
        (
            f"[audio {UPLOADS}interview.mp3]",
            f'<a href="{UPLOADS}interview.mp3" rel="noopener noreferrer">'
            "Audio: Interview with the minister</a>",
        ),
        (
            "[audio]",
            f'<a href="{UPLOADS}interview.mp3" rel="noopener noreferrer">'
            "Audio: Interview with the minister</a>",
        ),
        (
            "[videopress OcobLTqC]",
            '<a href="https://videopress.com/v/OcobLTqC" rel="noopener noreferrer">'
            "Video: VideoPress</a>",
        ),
        (
            '[playlist ids="210"]',
            f'<a href="{UPLOADS}interview.mp3" rel="noopener noreferrer">'
            "Audio: Interview with the minister</a>",
        ),
    ],
    ids=[
        "audio",
        "video",
        "wpvideo",
        "audio by position",
        "the post's audio",
        "videopress",
        "playlist",
    ],
)
def test_a_media_shortcode_becomes_a_link_to_its_file(shortcode, link):
    result = converted(shortcode)

    assert sanitize_html(result.body) == f"<p>{link}</p>"
    assert "media" in result.changes


def test_a_player_with_no_file_is_left_out_and_reported():
    result = converted("<p>Listen:</p>[video]")

    assert sanitize_html(result.body) == "<p>Listen:</p>"
    assert result.warnings == ["[video] with no file of its own or attached: left out."]


def test_audio_and_video_blocks_become_links_to_their_files():
    content = (
        '<!-- wp:audio {"id":210} --><figure class="wp-block-audio"><audio controls '
        f'src="{UPLOADS}interview.mp3"></audio><figcaption>Listen</figcaption></figure>'
        '<!-- /wp:audio --><!-- wp:video --><figure class="wp-block-video"><video controls>'
        '<source src="https://cdn.example.net/talk.webm"></video></figure><!-- /wp:video -->'
    )

    assert body_of(content) == (
        f'<p><a href="{UPLOADS}interview.mp3" rel="noopener noreferrer">'
        "Audio: Interview with the minister</a></p><p>Listen</p>"
        '<p><a href="https://cdn.example.net/talk.webm" rel="noopener noreferrer">'
        "Video: talk.webm</a></p>"
    )


def test_a_gallery_shortcode_becomes_a_figure_for_each_attachment_it_names():
    result = converted('[gallery ids="202,201,999"]')

    assert sanitize_html(result.body) == (
        '<figure><img src="/media/images/map.png" alt="Map of the strait"></figure>'
        '<figure><img src="/media/images/chart.png" alt="Bar chart of exports">'
        "<figcaption>Exports</figcaption></figure>"
    )
    assert result.warnings == [
        "its gallery names attachment 999, which is not in the export: that picture is left out."
    ]


def test_a_gallery_shortcode_without_ids_shows_the_posts_own_pictures():
    body = body_of("[gallery]")

    assert body.count("<figure>") == 2
    assert "interview.mp3" not in body


def test_a_gallery_block_becomes_a_row_of_figures():
    content = (
        '<!-- wp:gallery {"ids":[201,202]} --><figure class="wp-block-gallery columns-2">'
        '<ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure>'
        f'<img src="{UPLOADS}chart.png" alt="Bar chart" class="wp-image-201"/>'
        "<figcaption>Exports</figcaption></figure></li>"
        f'<li class="blocks-gallery-item"><figure><img src="{UPLOADS}map.png" alt="Map"/>'
        '</figure></li></ul><figcaption class="blocks-gallery-caption">Two views</figcaption>'
        "</figure><!-- /wp:gallery -->"
    )

    assert body_of(content) == (
        '<figure><img src="/media/images/chart.png" alt="Bar chart">'
        "<figcaption>Exports</figcaption></figure>"
        '<figure><img src="/media/images/map.png" alt="Map"></figure><p>Two views</p>'
    )


def test_a_picture_keeps_its_alt_text_size_and_caption_and_its_link_to_itself_goes():
    library = Library()
    content = (
        f'[caption id="attachment_201" width="300"]<a href="{UPLOADS}chart.png">'
        f'<img class="size-medium wp-image-201" src="{UPLOADS}chart-300x200.png" '
        'alt="Bar chart" width="300" height="200" /></a> Exports fell[/caption]'
    )

    result = converted(content, library=library)

    assert sanitize_html(result.body) == (
        '<figure><img src="/media/images/chart-300x200.png" alt="Bar chart" width="300" '
        'height="200"><figcaption>Exports fell</figcaption></figure>'
    )
    assert library.asked == [(f"{UPLOADS}chart-300x200.png", "201", "Bar chart", "Exports fell")]
    assert {"image", "image link"} <= result.changes


def test_a_missing_picture_becomes_a_link_to_its_old_address_with_its_alt_text():
    content = (
        '<!-- wp:image --><figure class="wp-block-image">'
        f'<img src="{UPLOADS}gone-1024x768.jpg" alt="A ship that sailed"/>'
        "<figcaption>Lost at sea</figcaption></figure><!-- /wp:image -->"
    )

    result = converted(content)

    assert sanitize_html(result.body) == (
        f'<p><a href="{UPLOADS}gone-1024x768.jpg" rel="noopener noreferrer">'
        "A ship that sailed</a></p><p>Lost at sea</p>"
    )
    assert result.warnings == [
        f"the picture {UPLOADS}gone-1024x768.jpg is not in the media folder: it is shown "
        "as a link to its old address."
    ]


def test_wpautops_line_breaks_leave_no_runs_of_br_between_blocks():
    content = "Before the table.\n" + "<br />\n" * 30 + "<table><tr><td>Oil</td></tr></table>"

    body = body_of(content)

    assert body.startswith("<p>Before the table.</p><table>")
    assert "<br>" not in body


def test_a_classic_body_gets_paragraphs_and_line_breaks_as_wpautop_gives_them():
    content = (
        "First line\nsecond line.<br />\n<br />\nNew thought.\n\n<blockquote>Quoted</blockquote>"
    )

    assert body_of(content) == (
        "<p>First line<br>\nsecond line.</p><p>\nNew thought.</p>"
        "<blockquote><p>Quoted</p></blockquote>"
    )


def test_every_change_made_is_one_the_report_can_name():
    content = (
        "<h1>A</h1><h6>B</h6><pre>c</pre><code>d</code><del>e</del><u>f</u>"
        "<dl><dt>g</dt></dl>[gallery ids='201'][audio src='a.mp3']\n\nhttps://example.org\n\n"
        '<iframe src="https://example.org/frame"></iframe>'
    )

    result = converted(content, excerpt="")

    assert result.changes
    assert result.changes <= set(CHANGED)


@pytest.mark.parametrize(
    ("relative", "candidates"),
    [
        ("2024/02/photo.jpg", ["2024/02/photo.jpg"]),
        (
            "2024/02/photo-300x200.jpg",
            ["2024/02/photo.jpg", "2024/02/photo-scaled.jpg", "2024/02/photo-300x200.jpg"],
        ),
    ],
)
def test_a_resized_copy_is_traced_to_its_original_first(relative, candidates):
    assert image_file_candidates(relative) == candidates
