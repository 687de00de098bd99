"""Word-level differences between two texts, as HTML a person can read without colour.

Every character of the texts is escaped; the only markup is our own <ins> and <del>,
each opening with a visually hidden "added:" or "removed:" for screen readers, which
do not announce the elements themselves.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# A word, or a run of other signs ("—", "?!"), each with the white space after it, so
# that a change of two words next to each other is marked as one change.
_TOKEN = re.compile(r"\s*\w+\s*|\s*[^\w\s]+\s*|\s+")


def _tokens(text):
    return _TOKEN.findall(text or "")


_LABELS = {"del": "removed", "ins": "added"}


def _marked(element, text):
    """`text` in <ins> or <del>, its white space left outside the mark."""
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return format_html(
        '{0}<{1}><span class="visually-hidden">{2}: </span>{3}</{1}>{4}',
        lead,
        element,
        _LABELS[element],
        text.strip(),
        trail,
    )


def word_diff(old, new):
    """`new` as HTML, with the words of `old` it no longer has in <del> and its own new
    words in <ins>; white space alone is no change."""
    before, after = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(
        None, [token.strip() for token in before], [token.strip() for token in after]
    )
    segments = []  # (mark, text): None, "del" or "ins"
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = "".join(before[old_start:old_end])
        added = "".join(after[new_start:new_end])
        if operation == "equal":
            segments.append((None, added))
            continue
        if removed.strip():
            segments.append(("del", removed.strip()))
        if added.strip():
            segments.append(("ins", added))
    parts = []
    for index, (mark, text) in enumerate(segments):
        if index and _runs_on(segments[index - 1][1], text):
            # The white space that parted these words went with a word on the other side.
            parts.append(" ")
        parts.append(_marked(mark, text) if mark else escape(text))
    # Every part is escaped above, or is our own mark.
    return mark_safe("".join(parts))


def _runs_on(left, right):
    """Whether `right` written straight after `left` would join two words into one."""
    return (
        bool(left and right)
        and (left[-1].isalnum() or left[-1] == "_")
        and (right[0].isalnum() or right[0] == "_")
    )


def paragraphs_diff(old, new, *, context=1):
    """Two lists of paragraphs compared: [{"html": …, "changed": bool}] in the new
    order, with a removed paragraph where it was; a run of unchanged paragraphs
    further than `context` from any change becomes {"skipped": how many}."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    shown = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            same = [{"html": escape(text), "changed": False} for text in new[new_start:new_end]]
            shown += _trimmed(same, context, first=not shown, last=new_end == len(new))
            continue
        removed, added = old[old_start:old_end], new[new_start:new_end]
        # An edited paragraph is compared word by word with the one it replaced.
        for index in range(max(len(removed), len(added))):
            before = removed[index] if index < len(removed) else ""
            after = added[index] if index < len(added) else ""
            shown.append({"html": word_diff(before, after), "changed": True})
    return shown


def _trimmed(same, context, *, first, last):
    """A run of unchanged paragraphs, keeping `context` next to the changes around it."""
    keep_before = 0 if first else context
    keep_after = 0 if last else context
    if len(same) <= keep_before + keep_after + 1:
        return same
    skipped = len(same) - keep_before - keep_after
    return [
        *same[:keep_before],
        {"skipped": skipped},
        *(same[len(same) - keep_after :] if keep_after else []),
    ]


def counted_changes(old, new, noun):
    """How many of `noun` ("paragraph", "word") in list `old` changed, were added and
    were removed in list `new`, in words: "2 paragraphs changed, 1 added"; "" if none."""
    changed = added = removed = 0
    for operation, old_start, old_end, new_start, new_end in SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        edited = min(old_end - old_start, new_end - new_start) if operation == "replace" else 0
        changed += edited
        added += 0 if operation == "equal" else new_end - new_start - edited
        removed += 0 if operation == "equal" else old_end - old_start - edited
    said = [
        (count, what)
        for count, what in [(changed, "changed"), (added, "added"), (removed, "removed")]
        if count
    ]
    if not said:
        return ""
    (count, what), rest = said[0], said[1:]
    first = f"{count} {noun}{'' if count == 1 else 's'} {what}"
    return ", ".join([first, *(f"{count} {what}" for count, what in rest)])


def words(text):
    """The words and signs of `text`, as word_diff() compares them."""
    return [token.strip() for token in _tokens(text)]
