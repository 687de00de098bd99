"""Sending uploaded files (PDFs, images) the way readers need them.

Pages link every file at MEDIA_URL and its name, whatever the storage. From the local
MEDIA_ROOT the app sends the file itself: beyond Django's development-only
`static.serve`, it answers byte ranges, so readers can jump around a large PDF, and it
lets browsers keep files for a year. From a private bucket (MEDIA_STORAGE=s3,
storage.PrivateBucketStorage) it redirects to a URL the bucket signs for a few
minutes, which answers byte ranges itself. Who may see which file is the app's to
say (publications.views.media); each file answers under one address only, its name
as stored (is_canonical), so that the question is asked of the name the database holds.
"""

import mimetypes
import os
import re

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header, http_date
from django.views.static import was_modified_since

from .storage import PrivateBucketStorage

# One range only: a multi-part reply is rarely asked for, so those get the whole file.
SINGLE_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")
UNSATISFIABLE = object()


def send_file(request, name, cache_control):
    """The stored file `name`, with `cache_control`: from the disk, or a redirect to the bucket."""
    if isinstance(default_storage, PrivateBucketStorage):
        return redirect_to_bucket(name, cache_control)
    return send_from_disk(request, name, cache_control)


def redirect_to_bucket(name, cache_control):
    """To a URL of the object that the bucket signs, answered as the disk's file would be.

    The signed answer's headers override those the object was stored with, so that it is
    kept no longer than this redirect, whatever an older upload was stored with.
    """
    content_type = file_content_type(name)
    url = default_storage.signed_url(
        name,
        {
            "ResponseCacheControl": cache_control,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition(name, content_type),
        },
    )
    return HttpResponseRedirect(url, headers={"Cache-Control": cache_control})


def send_from_disk(request, name, cache_control):
    path = stored_file(name)
    stat = os.stat(path)
    last_modified = http_date(stat.st_mtime)
    if not was_modified_since(request.headers.get("If-Modified-Since"), stat.st_mtime):
        return HttpResponseNotModified(
            headers={"Cache-Control": cache_control, "Last-Modified": last_modified}
        )

    byte_range = requested_range(request, stat.st_size, last_modified)
    if byte_range is UNSATISFIABLE:
        return HttpResponse(status=416, headers={"Content-Range": f"bytes */{stat.st_size}"})
    if byte_range is None:
        response = FileResponse(default_storage.open(name))
    else:
        start, end = byte_range
        response = StreamingHttpResponse(read_bytes(name, start, end), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
        response["Content-Length"] = end - start + 1

    content_type = file_content_type(name)
    response["Content-Type"] = content_type
    response["Content-Disposition"] = disposition(name, content_type)
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = cache_control
    response["Accept-Ranges"] = "bytes"
    return response


def is_canonical(name):
    """Whether `name` is spelled the one way a stored file's name is.

    The file system opens "pdfs//x.pdf", "pdfs/./x.pdf", "a/../pdfs/x.pdf" and
    "pdfs/x.pdf/" as pdfs/x.pdf, but who may see a file is asked of its name exactly
    as the database holds it. So each file has that one spelling: no empty, "." or
    ".." segment (which also rules out leading and trailing slashes), no backslash.
    """
    return "\\" not in name and not {"", ".", ".."} & set(name.split("/"))


def has_encoded_separator(request):
    """Whether the address as sent has a %2F or %5C, which servers decode to "/" or "\\".

    The decoded name is checked like any other; an address no page links to is
    refused all the same, so that each file has one address. Servers that pass on
    the address as sent put it in RAW_URI (gunicorn) or REQUEST_URI (uWSGI, Apache).
    """
    sent = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or ""
    path = sent.partition("?")[0].lower()
    return "%2f" in path or "%5c" in path


def stored_file(name):
    """The path of the regular file `name` under MEDIA_ROOT; 404 for anything else.

    The storage refuses names that lead out of MEDIA_ROOT ("..", absolute paths), and
    a directory, a missing file or a name the file system cannot take (a NUL byte, too
    long) is simply not found, never a server error.
    """
    try:
        path = default_storage.path(name)
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None
    if not os.path.isfile(path):
        raise Http404("No such file.")
    return path


def requested_range(request, size, last_modified):
    """The (first, last) byte positions of a satisfiable Range header, or UNSATISFIABLE.

    None means the whole file: no Range header, one this view does not parse
    (malformed or several ranges), or an If-Range naming an older version.
    """
    match = SINGLE_RANGE.fullmatch(request.headers.get("Range", ""))
    if (
        request.method != "GET"
        or match is None
        or request.headers.get("If-Range", last_modified) != last_modified
    ):
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        if last and int(last) < start:
            return None
        if start >= size:
            return UNSATISFIABLE
        return start, min(int(last), size - 1) if last else size - 1
    if last:  # "bytes=-500": the last 500 bytes
        if int(last) == 0 or size == 0:
            return UNSATISFIABLE
        return max(size - int(last), 0), size - 1
    return None


def read_bytes(name, start, end):
    """Bytes start to end (inclusive) of the stored file, a block at a time."""
    with default_storage.open(name) as file:
        file.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            block = file.read(min(FileResponse.block_size, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block


def file_content_type(name):
    content_type, encoding = mimetypes.guess_type(name)
    # A compressed file sent as its inner type would be garbled for the browser.
    if content_type is None or encoding is not None:
        return "application/octet-stream"
    return content_type


def disposition(name, content_type):
    return content_disposition_header(not shown_inline(content_type), os.path.basename(name))


def shown_inline(content_type):
    """PDFs and raster images open in the browser; anything else is downloaded.

    Only those two come in through the admin. Any other file under MEDIA_ROOT got
    there another way, and HTML or SVG shown inline could run scripts on this site.
    """
    return content_type == "application/pdf" or (
        content_type.startswith("image/") and content_type != "image/svg+xml"
    )
