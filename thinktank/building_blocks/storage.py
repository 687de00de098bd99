"""The private media bucket (MEDIA_STORAGE=s3), whose files are reached through the app.

Pages link a file at the app's own address, MEDIA_URL and its name, whatever the
storage, and the app asks there who may see it (publications.views.media), as for the local
disk. Only then does media_files send them on to the bucket, with a URL it answers for
a few minutes (AWS_QUERYSTRING_EXPIRE): the bucket itself lets nobody read.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateBucketStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)

    def signed_url(self, name, response_headers):
        """A URL of the object that works until it expires, for GET only.

        `response_headers` override those the object was stored with, named as boto3's
        get_object names them (ResponseCacheControl, ...); they are part of what is
        signed, so nobody holding the URL can change them.
        """
        return super().url(name, parameters=response_headers)
