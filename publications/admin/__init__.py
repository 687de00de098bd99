"""The CMS: the admin of publications, their curation, and the topics they are filed under."""

from . import dashboard, images, publication, taxonomy  # noqa: F401  registers the model admins and panels
