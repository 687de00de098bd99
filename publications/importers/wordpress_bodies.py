"""A WordPress body as our editor's HTML, and its Introduction.

`convert()` takes an item's content and excerpt as the export holds them and returns
the body our sanitiser and editor take (Publication.save() cleans it again), the
Introduction, and sentences for the report: what was changed and why (counted over
the whole import), and what an editor must look at (per item).

Nothing here reads a file or a row: pictures are placed by the `place_image`
callable the importer passes in (WordPressImport._place_image), which answers with
our own address for one, or why there is none.

Every mapping is listed in the README ("Moving from WordPress"), and each change the
report names is in CHANGED below.
"""

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from ..richtext.text import plain_text

# --- what the report says (each counted once per item) ---------------------------------

CHANGED = {
    "h1": "h1 headings became h2 (the editor's headings are h2 to h4)",
    "h5": "h5 and h6 headings became h4 (the editor's headings are h2 to h4)",
    "pre": "preformatted blocks became paragraphs keeping their lines (the editor has no "
    "code blocks)",
    "code": "code and keyboard text became plain text (the editor has no code style)",
    "del": "deleted text (del, strike) became struck-through text",
    "ins": "inserted or underlined text (ins, u) became plain text (the editor has no underline)",
    "dl": "definition lists became a paragraph in bold per term and one per definition "
    "(the editor has no definition lists)",
    "embed": "embeds (embed blocks, [embed], iframes) became links to what they showed",
    "url": "web addresses on a line of their own (WordPress embedded them) became links",
    "media": "audio and video players ([audio], [video], [playlist], [wpvideo] and their "
    "blocks) became links to their files, which stay on the old site",
    "gallery": "galleries became a row of figures, one per picture",
    "image": "pictures were copied into the image library and are shown from it",
    "missing": "pictures not found in the media folder became links to their old address",
    "image link": "links from a picture to its own file on the old site were dropped "
    "(the picture is here now)",
    "breaks": "line breaks between blocks or at the ends of paragraphs were dropped, and "
    "runs of them became new paragraphs",
    "more": "the text before <!--more--> became the Introduction and left the body (the "
    "page shows the Introduction above the body)",
    "first": "the first paragraph became the Introduction and left the body (the page "
    "shows the Introduction above the body)",
    "picture lead": "posts with no text got their Introduction from a picture's caption "
    "or alt text",
}

# --- text-level patterns -------------------------------------------------------------

MORE = re.compile(r"<!--\s*more.*?-->", re.S)
WORD_CONDITIONAL = re.compile(r"<!--\[if.*?<!\[endif\]-->", re.S)
WORD_TAGS = re.compile(r"</?o:p[^>]*>", re.I)
WORD_CLASS = re.compile(r"\s(?:class|style)=\"[^\"]*Mso[^\"]*\"", re.I)
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[a-z0-9-]+)?\s*(\{.*?\})?\s*-->"
    r"((?:(?!<!--\s*wp:(?:core-)?embed).)*?)"
    r"<!--\s*/wp:(?:core-)?embed(?:/[a-z0-9-]+)?\s*-->",
    re.S,
)
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S | re.I)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# A shortcode, and what it encloses up to its closing tag when it has one. The search
# for that tag stops at the next shortcode of the same name, so a body of many
# unclosed ones ([video] alone is the usual form) is read once, not once for each.
SHORTCODE = re.compile(
    r"\[(caption|gallery|audio|video|playlist|wpvideo|videopress|embed)\b([^\]]*)\]"
    r"(?:((?:(?!\[/?\1\b).)*)\[/\1\])?",
    re.S,
)
SHORTCODE_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\]]+))")
CAPTION_IMAGE = re.compile(r"^\s*((?:<a[^>]*>)?\s*<img[^>]*>\s*(?:</a>)?)(.*)$", re.S)
BARE_URL_LINE = re.compile(
    r"^[ \t]*(?:<p>)?[ \t]*(https?://[^\s<>\"'\[\]]+)[ \t]*(?:</p>)?[ \t]*$", re.M
)
# WordPress's resized copies: photo-300x200.jpg is a copy of photo.jpg.
RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?)$", re.I)

AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac")
VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg", "wav", "wma", "flac", "aac"}
VIDEO_EXTENSIONS = {"mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"}
_EXTENSIONS = {"audio": AUDIO_EXTENSIONS, "video": VIDEO_EXTENSIONS}

# wpautop's block-level elements: text between them becomes paragraphs.
AUTOP_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form"
    "|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article"
    "|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|audio|video"
    "|iframe"
)
AUTOP_OPENING = re.compile(rf"<(?:{AUTOP_BLOCKS})\b[^>]*>", re.I)
AUTOP_CLOSING = re.compile(rf"</(?:{AUTOP_BLOCKS})>", re.I)
# A chunk's opening tags that hold its text themselves: all but a quotation's.
LAST_OPENING_TAG = re.compile(rf"<(?!blockquote\b)(?:{AUTOP_BLOCKS})\b[^>]*>\s*$", re.I)
AUTOP_EDGES = re.compile(
    rf"^((?:\s*</?(?:{AUTOP_BLOCKS})\b[^>]*>)*)(.*?)((?:</?(?:{AUTOP_BLOCKS})\b[^>]*>\s*)*)$",
    re.S | re.I,
)
NEWLINE_NOT_AFTER_BREAK = re.compile(r"(?<!<br>)(?<!<br/>)(?<!<br />)\n", re.I)
PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)


@dataclass
class Converted:
    body: str
    lead: str
    # Keys of CHANGED: what was changed, and why (the report counts items per key).
    changes: set = field(default_factory=set)
    # Sentences about this item for an editor to look at.
    warnings: list = field(default_factory=list)


def convert(content, excerpt="", *, attachments=None, post_id="", place_image=None):
    """(our body, its Introduction, what was changed, what to look at) for a WordPress
    item's content and excerpt.

    `attachments` maps an attachment id to {"url", "file", "title", "alt", "caption",
    "parent"}; `place_image(src, attachment_id, alt, caption)` answers (our address,
    '') for a picture it brought over, or (None, why not)."""
    work = _Work(attachments or {}, post_id, place_image or _nowhere)
    is_blocks = "<!-- wp:" in content
    parts = MORE.split(content, maxsplit=1)
    teaser = work.nodes(parts[0], is_blocks) if len(parts) == 2 else []
    nodes = work.nodes(parts[-1], is_blocks)
    if work.missing:
        work.warnings.insert(0, _missing_pictures(work.missing))
    lead = plain_text(excerpt)
    if not lead and _text_of(teaser):
        lead = " ".join(_text_of(node) for node in teaser if _is_paragraph(node))
        lead = lead or _text_of(teaser)
        teaser = [node for node in teaser if not _is_paragraph(node)]
        work.changes.add("more")
    nodes = teaser + nodes
    if not lead:
        first = next((node for node in nodes if _is_paragraph(node)), None)
        if first is not None:
            lead = _text_of(first)
            nodes.remove(first)
            work.changes.add("first")
    if not lead:
        lead = work.picture_words
        if lead:
            work.changes.add("picture lead")
        else:
            work.warnings.append(
                "it has no excerpt, paragraph or picture caption to take an Introduction "
                "from: write one in the admin (until then its page shows none)."
            )
    return Converted(_serialised(nodes).strip(), lead, work.changes, work.warnings)


def _nowhere(src, attachment_id, alt, caption):
    return None, "was not looked for"


# --- the tree --------------------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "title"}
# Blocks a paragraph cannot hold: one starting inside it ends it, as in a browser.
ENDS_PARAGRAPH = set(AUTOP_BLOCKS.replace("h[1-6]", "h1|h2|h3|h4|h5|h6").split("|"))
INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "br",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "img",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
}


# Elements the editor has no button for, as the nearest it has.
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "del": "s", "strike": "s"}
# Elements whose content stays without them: the editor has nothing like them, or
# they only lay out (nh3 would drop them; here their text is put into paragraphs).
UNWRAPPED = {
    *("code", "kbd", "tt", "samp", "ins", "u", "span", "font", "center"),
    *("div", "section", "article", "header", "footer", "aside", "main", "nav", "address"),
}
# The report's sentence (a key of CHANGED) for each element changed.
CHANGE_OF = {
    "h1": {"h1"},
    "h5": {"h5"},
    "h6": {"h5"},
    "del": {"del"},
    "strike": {"del"},
    "code": {"code"},
    "kbd": {"code"},
    "tt": {"code"},
    "samp": {"code"},
    "ins": {"ins"},
    "u": {"ins"},
    "dl": {"dl"},
    "pre": {"pre"},
    "audio": {"media"},
    "video": {"media"},
    "iframe": {"embed"},
    "embed": {"embed"},
    "object": {"embed"},
}


@dataclass
class Element:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving parse into Elements and strings (text, decoded)."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.open = [self.root]
        self.skipping = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if self.skipping or tag in DROPPED_WITH_CONTENT:
            self.skipping += tag in DROPPED_WITH_CONTENT
            return
        if tag in ENDS_PARAGRAPH or tag == "p":
            self._close("p", stop_at={"li", "td", "th", "blockquote", "figure", "div", "dd"})
        element = Element(tag, {})
        for name, value in attrs:  # the first of a repeated one counts, as in a browser
            element.attrs.setdefault(name, value or "")
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skipping and self.open[-1].tag == tag:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        if not self.skipping:
            self._close(tag)

    def _close(self, tag, stop_at=()):
        for index in range(len(self.open) - 1, 0, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return
            if self.open[index].tag in stop_at:
                return

    def handle_data(self, data):
        if not self.skipping:
            self.open[-1].children.append(data)


def _text_of(nodes):
    if isinstance(nodes, (str, Element)):
        nodes = [nodes]
    return plain_text(_serialised(nodes))


def _is_paragraph(node):
    """Whether `node` is a paragraph of the text's own words (not a link made here)."""
    if not (isinstance(node, Element) and node.tag == "p") or node.attrs.get("class") == MADE:
        return False
    return bool(_text_of([child for child in node.children if not _is_made_link(child)]))


def _serialised(nodes):
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html.escape(node, quote=False))
            continue
        attributes = "".join(
            f' {name}="{html.escape(value)}"' for name, value in node.attrs.items()
        )
        if node.tag in VOID:
            out.append(f"<{node.tag}{attributes}>")
        else:
            out.append(f"<{node.tag}{attributes}>{_serialised(node.children)}</{node.tag}>")
    return "".join(out)


# The class of the links and paragraphs this import writes in place of an embed, a
# player, a missing picture or a figure's caption: none is the text's first paragraph,
# which may become the Introduction. (The sanitiser drops the class.)
MADE = "wordpress-import"


def _link(url, text=None):
    return Element("a", {"href": url, "class": MADE}, [text or url])


def _is_made_link(node):
    return isinstance(node, Element) and node.tag == "a" and node.attrs.get("class") == MADE


def _file_name(url):
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]) or url


def _extension(url):
    return _file_name(url).rpartition(".")[2].lower()


# --- the work on one body ----------------------------------------------------------------


def _missing_pictures(missing):
    """One warning for all of an item's pictures that were not brought over: an
    export without its uploads folder would otherwise give a line per picture."""
    if len(missing) == 1:
        ((address, why_not),) = missing
        return f"the picture {address} {why_not}: it is shown as a link to its old address."
    listed = "; ".join(f"{address} {why_not}" for address, why_not in missing)
    return f"{len(missing)} pictures are shown as links to their old addresses: {listed}."


class _Work:
    def __init__(self, attachments, post_id, place_image):
        self.attachments = attachments
        self.post_id = post_id
        self.place_image = place_image
        self.by_url = {a["url"]: key for key, a in attachments.items() if a.get("url")}
        self.changes = set()
        self.warnings = []
        self.missing = []  # (address, why it was not brought over) of each picture
        self.picture_words = ""

    def nodes(self, content, is_blocks):
        """The top-level elements of `content` as our HTML."""
        content = WORD_CONDITIONAL.sub("", content)
        content = WORD_TAGS.sub("", content)
        content = WORD_CLASS.sub("", content)
        content = EMBED_BLOCK.sub(self._embed_block, content)
        content = BLOCK_COMMENT.sub("", content)
        content = SHORTCODE.sub(self._shortcode, content)
        content = BARE_URL_LINE.sub(self._bare_url, content)
        if not is_blocks:
            content = _autop(content)
        tree = _TreeBuilder(content).root
        return self._blocks(self._children(tree.children))

    # -- text level --

    def _embed_block(self, match):
        try:
            attributes = json.loads(match[1] or "{}")
        except ValueError:
            attributes = {}
        url = attributes.get("url") if isinstance(attributes, dict) else None
        if not isinstance(url, str) or not url.strip():
            url = plain_text(FIGCAPTION.sub("", match[2]))
        self.changes.add("embed")
        caption = FIGCAPTION.search(match[2])
        linked = _paragraph_link(url)
        if caption and plain_text(caption[1]):
            linked = linked.replace("</a>", f"</a><br>{caption[1].strip()}")
        return linked

    def _bare_url(self, match):
        self.changes.add("url")
        return _paragraph_link(match[1])

    def _shortcode(self, match):
        name, raw_attributes, inner = match[1], match[2], match[3] or ""
        attributes = {
            key.lower(): next(value for value in values if value is not None)
            for key, *values in SHORTCODE_ATTRIBUTE.findall(raw_attributes)
        }
        attributes = {key: html.unescape(value) for key, value in attributes.items()}
        if name == "caption":
            return self._caption(inner)
        if name == "gallery":
            return self._gallery(attributes)
        if name == "embed":
            self.changes.add("embed")
            return _paragraph_link(inner.strip())
        positional = [word for word in raw_attributes.split() if "=" not in word]
        if name in {"wpvideo", "videopress"}:
            self.changes.add("media")
            if not positional:
                self.warnings.append(f"[{name}] without a video id: left out.")
                return ""
            url = f"https://videopress.com/v/{positional[0]}"
            return _paragraph_link(url, "Video: VideoPress")
        if name == "playlist":
            return self._playlist(attributes)
        sources = AUDIO_SOURCES if name == "audio" else VIDEO_SOURCES
        # [audio https://…] and [audio]https://…[/audio] say it without a name.
        urls = [attributes.get(key) for key in sources] + positional + [inner.strip()]
        # A bare [audio] plays the post's first audio attachment, as in WordPress.
        urls += [
            self.attachments[key]["url"] for key in self._attachment_ids({}, _EXTENSIONS[name])
        ]
        url = next((url for url in urls if url), None)
        self.changes.add("media")
        if url is None:
            self.warnings.append(f"[{name}] with no file of its own or attached: left out.")
            return ""
        return _paragraph_link(url, self._media_label(name, url))

    def _media_label(self, kind, url):
        attachment = self.attachments.get(self.by_url.get(url, ""), {})
        title = attachment.get("title") or _file_name(url)
        return f"{kind.capitalize()}: {title}"

    def _caption(self, inner):
        parts = CAPTION_IMAGE.match(inner)
        if not parts:
            return inner
        image, caption = parts.groups()
        return f"<figure>{image}<figcaption>{caption.strip()}</figcaption></figure>"

    def _attachment_ids(self, attributes, extensions=None):
        if attributes.get("ids") or attributes.get("include"):
            ids = re.split(r"[\s,]+", attributes.get("ids") or attributes.get("include"))
            return [key for key in ids if key]
        parent = attributes.get("id") or self.post_id
        return [
            key
            for key, attachment in self.attachments.items()
            if attachment.get("parent") == parent
            and (extensions is None or _extension(attachment.get("url", "")) in extensions)
        ]

    def _gallery(self, attributes):
        figures = []
        for key in self._attachment_ids(attributes, extensions=None):
            attachment = self.attachments.get(key)
            if attachment is None:
                self.warnings.append(
                    f"its gallery names attachment {key}, which is not in the export: "
                    "that picture is left out."
                )
                continue
            if IMAGE_FILE.search(attachment.get("url", "")) is None:
                continue
            figures.append(
                f'<figure><img src="{html.escape(attachment["url"])}" '
                f'alt="{html.escape(attachment.get("alt", ""))}" class="wp-image-{key}">'
                f"<figcaption>{html.escape(attachment.get('caption', ''))}</figcaption></figure>"
            )
        self.changes.add("gallery")
        return "\n\n" + "\n\n".join(figures) + "\n\n"

    def _playlist(self, attributes):
        kind = attributes.get("type", "audio")
        extensions = _EXTENSIONS.get(kind, AUDIO_EXTENSIONS)
        links = []
        for key in self._attachment_ids(attributes, extensions):
            attachment = self.attachments.get(key)
            if attachment:
                links.append(
                    _paragraph_link(attachment["url"], self._media_label(kind, attachment["url"]))
                )
        self.changes.add("media")
        return "\n\n" + "\n\n".join(links) + "\n\n"

    # -- element level --

    def _children(self, nodes, caption=""):
        out = []
        for node in nodes:
            out.extend(self._node(node, caption))
        return out

    def _node(self, node, caption=""):
        """What `node` becomes: a list of nodes."""
        if isinstance(node, str):
            return [node]
        special = {
            "img": lambda: [self._image(node, caption)],
            "figure": lambda: self._figure(node),
            "audio": lambda: self._player(node),
            "video": lambda: self._player(node),
            "iframe": lambda: self._frame(node),
            "embed": lambda: self._frame(node),
            "object": lambda: self._frame(node),
            "pre": lambda: [_preformatted(_text_with_lines(node))],
        }
        if node.tag in special:
            self.changes.update(CHANGE_OF.get(node.tag, ()))
            return special[node.tag]()
        children = self._children(node.children, caption)
        if node.tag == "a" and self._is_link_to_own_picture(node, children):
            self.changes.add("image link")
            return children
        self.changes.update(CHANGE_OF.get(node.tag, ()))
        if node.tag in RENAMED:
            return [Element(RENAMED[node.tag], {}, children)]
        if node.tag in UNWRAPPED:
            return children
        if node.tag == "dl":
            return self._blocks(children)
        if node.tag == "dt":
            return [Element("p", {}, [Element("strong", {}, children)])]
        if node.tag == "dd":
            return [Element("p", {}, children)]
        return [Element(node.tag, node.attrs, children)]

    def _frame(self, frame):
        url = frame.attrs.get("src") or frame.attrs.get("data")
        return [Element("p", {}, [_link(url)])] if url else []

    def _is_link_to_own_picture(self, link, children):
        elements = [child for child in children if isinstance(child, Element)]
        texts = [child for child in children if isinstance(child, str) and child.strip()]
        if texts or len(elements) != 1:
            return False
        if _is_made_link(elements[0]):
            return True  # a missing picture, now a link to its old address itself
        if elements[0].tag != "img":
            return False
        href = link.attrs.get("href", "")
        try:
            path = urlsplit(href).path
        except ValueError:
            return False
        return bool(IMAGE_FILE.search(path)) or "attachment" in href

    def _image(self, image, caption):
        src = (image.attrs.get("src") or "").strip()
        alt = image.attrs.get("alt", "")
        class_id = WP_IMAGE_CLASS.search(image.attrs.get("class", ""))
        attachment_id = class_id[1] if class_id else self.by_url.get(src, "")
        if not self.picture_words:
            self.picture_words = plain_text(caption) or plain_text(alt)
        kept = {"alt": alt}
        kept.update(
            {name: image.attrs[name] for name in ("width", "height") if name in image.attrs}
        )
        address, why_not = self.place_image(src, attachment_id, alt, plain_text(caption))
        if address:
            self.changes.add("image")
            return Element("img", {"src": address, **kept})
        self.changes.add("missing")
        self.missing.append((src or "(with no address)", why_not))
        return _link(src, alt.strip() or _file_name(src)) if src else (alt or "")

    def _figure(self, figure):
        classes = figure.attrs.get("class", "")
        if "wp-block-gallery" in classes or "gallery" in classes.split():
            self.changes.add("gallery")
            return self._gallery_block(figure)
        captions = [c for c in figure.children if isinstance(c, Element) and c.tag == "figcaption"]
        caption = _serialised(captions[0].children) if captions else ""
        children = self._children(
            [c for c in figure.children if c not in captions], caption=caption
        )
        images = [c for c in _walk(children) if c.tag == "img"]
        caption_nodes = self._children(captions[0].children) if captions else []
        if len(images) == 1:
            image = images[0]
            figure_nodes = [image]
            if plain_text(caption):
                figure_nodes.append(Element("figcaption", {}, caption_nodes))
            rest = [c for c in _without(children, image) if _has_content(c)]
            return [Element("figure", {}, figure_nodes), *self._blocks(rest)]
        # No picture (a missing one became a link, an audio file...) or several: the
        # figure's parts become paragraphs, its caption the last.
        nodes = self._blocks(children)
        if plain_text(caption):
            nodes.append(Element("p", {"class": MADE}, caption_nodes))
        return nodes

    def _gallery_block(self, gallery):
        figures = []
        for node in gallery.children:
            if not isinstance(node, Element):
                continue
            if node.tag == "figure":
                figures.extend(self._figure(node))
            elif node.tag in {"ul", "li", "div"}:
                figures.extend(self._gallery_block(node))
            elif node.tag == "figcaption" and _text_of(node):
                figures.append(Element("p", {"class": MADE}, self._children(node.children)))
            elif node.tag == "img":
                figures.append(Element("figure", {}, [self._image(node, "")]))
        return figures

    def _player(self, player):
        sources = [player.attrs.get("src")] + [
            child.attrs.get("src") for child in _walk(player.children) if child.tag == "source"
        ]
        url = next((source for source in sources if source), None)
        if not url:
            return []
        return [Element("p", {"class": MADE}, [_link(url, self._media_label(player.tag, url))])]

    def _blocks(self, nodes):
        """`nodes` as blocks: loose text and inline elements go into paragraphs, and no
        <br> stays between blocks, at a paragraph's ends, or two in a row."""
        blocks, loose = [], []

        def flush():
            if any(_has_content(node) for node in loose):
                blocks.extend(self._paragraphs(loose))
            elif any(isinstance(n, Element) and n.tag == "br" for n in loose):
                self.changes.add("breaks")
            loose.clear()

        for node in nodes:
            if isinstance(node, str) or node.tag in INLINE:
                loose.append(node)
                continue
            flush()
            blocks.extend(self._block(node))
        flush()
        return blocks

    def _block(self, node):
        """A block element, with the <br> at the ends of its text (or its cells') dropped."""
        if node.tag == "p":
            return self._paragraphs(node.children, node.attrs)
        if node.tag in {"blockquote", "li", "td", "th", "figcaption"}:
            node.children = self._inner_blocks(node.children)
        elif node.tag == "table":
            for cell in _walk(node.children):
                if cell.tag in {"td", "th"}:
                    cell.children = self._inner_blocks(cell.children)
        return [node]

    def _inner_blocks(self, children):
        if all(isinstance(c, str) or c.tag in INLINE for c in children):
            return _trimmed(children, self)
        return self._blocks(children)

    def _paragraphs(self, inline, attrs=None):
        """Paragraphs of `inline` nodes, split where two or more <br> follow each other."""
        paragraphs, current, breaks = [], [], 0
        for node in inline:
            if isinstance(node, Element) and node.tag == "br":
                breaks += 1
                current.append(node)
                continue
            if isinstance(node, str) and not node.strip() and breaks:
                continue
            if breaks >= 2:
                self.changes.add("breaks")
                paragraphs.append(current)
                current = []
            breaks = 0
            current.append(node)
        paragraphs.append(current)
        out = []
        for nodes in paragraphs:
            trimmed = _trimmed(nodes, self)
            if any(_has_content(node) for node in trimmed):
                out.append(Element("p", attrs or {}, trimmed))
        return out


def _trimmed(nodes, work):
    """`nodes` without <br> (and white space) at either end, also inside an inline
    element there (a quotation's `<cite>Name<br></cite>`)."""
    return _trimmed_at(_trimmed_at(list(nodes), 0, work), -1, work)


def _trimmed_at(nodes, end, work):
    """`nodes` without <br> and white space at their start (end 0) or end (-1)."""
    nodes = list(nodes)
    while nodes:
        node = nodes[end]
        if isinstance(node, str):
            if node.strip():
                break
        elif node.tag == "br":
            work.changes.add("breaks")
        elif node.tag in INLINE and node.children:
            nodes[end] = Element(node.tag, node.attrs, _trimmed_at(node.children, end, work))
            if _has_content(nodes[end]):
                break
        else:
            break
        nodes.pop(end)
    return nodes


def _has_content(node):
    if isinstance(node, str):
        return bool(node.strip())
    return node.tag in {"img", "hr", "table", "figure"} or any(
        _has_content(child) for child in node.children
    )


def _without(nodes, target):
    """`nodes` without `target`, wherever it is among them."""
    kept = []
    for node in nodes:
        if node is target:
            continue
        if isinstance(node, Element):
            node = Element(node.tag, node.attrs, _without(node.children, target))
        kept.append(node)
    return kept


def _walk(nodes):
    for node in nodes:
        if isinstance(node, Element):
            yield node
            yield from _walk(node.children)


def _text_with_lines(node):
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_text_with_lines(child) for child in node.children)


def _preformatted(text):
    """A paragraph holding `text`'s lines, their indents kept as non-breaking spaces."""
    lines = text.strip("\n").split("\n")
    children = []
    for number, line in enumerate(lines):
        if number:
            children.append(Element("br"))
        indent = len(line) - len(line.lstrip(" \t"))
        children.append("\u00a0" * len(line[:indent].expandtabs(4)) + line[indent:])
    return Element("p", {}, children)


def _paragraph_link(url, text=None):
    url = html.escape(html.unescape(url.strip()))
    text = html.escape(text) if text else url
    return f'\n\n<p class="{MADE}"><a href="{url}" class="{MADE}">{text}</a></p>\n\n'


def _autop(text):
    """Paragraphs where wpautop makes them: text between blank lines or block-level
    tags becomes a paragraph, a single newline in it a line break. A <pre> is left as
    it is."""
    kept = []

    def keep(match):
        kept.append(match[0])
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = PRE.sub(keep, text.replace("\r\n", "\n"))
    text = AUTOP_OPENING.sub(lambda match: f"\n\n{match[0]}", text)
    text = AUTOP_CLOSING.sub(lambda match: f"{match[0]}\n\n", text)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        if not chunk.strip():
            continue
        opening, middle, closing = AUTOP_EDGES.match(chunk).groups()
        middle = NEWLINE_NOT_AFTER_BREAK.sub("<br>\n", middle.strip())
        # Text right after a block's opening tag is that block's own (a heading's, a
        # cell's), except in a quotation, whose text is in paragraphs, as wpautop does.
        if middle and not middle.startswith("\x00") and not LAST_OPENING_TAG.search(opening):
            middle = f"<p>{middle}</p>"
        paragraphs.append(opening + middle + closing)
    joined = "\n".join(paragraphs)
    return re.sub(r"\x00(\d+)\x00", lambda match: kept[int(match[1])], joined)


def image_file_candidates(relative):
    """The names the picture at `relative` (in the uploads folder) may be found under,
    best first: the original WordPress resized it from (or its "-scaled" copy, the
    original of a large upload since WordPress 5.3), then itself."""
    original = RESIZED.sub("", relative)
    if original == relative:
        return [relative]
    # The uploads folder holds the resized copies too; the original is stored once
    # for all of them, and the library makes its own smaller widths.
    stem, _, extension = original.rpartition(".")
    return [original, f"{stem}-scaled.{extension}", relative]
