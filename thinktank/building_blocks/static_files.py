"""Static files in production: WhiteNoise's hashed, compressed files, with each file's
address worked out once per storage.

Every page names four or five static files ({% static %}: the stylesheets, the icon, a
script, the share image), and working out a hashed address (the manifest's name, then
the storage's URL of it) took about 12 µs each, a fiftieth of an uncached article's
rendering. The manifest is read once, when the storage is made, so an address cannot
change for as long as the storage lives: a deployment that collects new files restarts
the process, and a change of settings in tests makes a new storage.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            address = self._addresses[name] = super().url(name)
            return address
