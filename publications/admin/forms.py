"""The admin's own form fields and widgets."""

import json

from django import forms
from django.conf import settings
from taggit.forms import TagField, TagWidget

from ..models.taxonomy import resolve_tag_names, tags_from_string


class TagAutocompleteWidget(TagWidget):
    """The tags as chips, with the existing tags (and how often each is used) offered
    as you type: static/js/tag_autocomplete.js on the admin's own select2.

    Without JavaScript it is the plain comma-separated text box it enhances.
    """

    def __init__(self, source_url, attrs=None):
        super().__init__(attrs)
        self.source_url = source_url

    @property
    def media(self):
        # The same files, spelled the same way, as the admin's autocomplete widgets,
        # so that a form holding both loads jQuery and select2 once.
        extra = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "js/tag_autocomplete.js",
            ],
            css={
                "screen": [
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                ]
            },
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value is None or isinstance(value, str):
            names = tags_from_string(value or "")
        else:
            names = sorted(tag.name for tag in value)
        context["widget"]["attrs"].update(
            {
                "class": "tag-autocomplete",
                "data-source-url": self.source_url,
                "data-tag-names": json.dumps(names),
            }
        )
        return context


class TagNamesField(TagField):
    """The admin's tag field: near-duplicates of existing tags become those tags."""

    def clean(self, value):
        return resolve_tag_names(super().clean(value))
