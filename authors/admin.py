from django.contrib import admin
from django.db import models

from thinktank.building_blocks.versioned_admin import VersionAdmin

from .models import Author


@admin.register(Author)
class AuthorAdmin(VersionAdmin):
    list_display = ["name", "role", "is_active"]
    list_filter = ["is_active"]
    # Also what the publication form's author autocomplete searches.
    search_fields = ["name", "sort_name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "sort_name", "slug", "role", "is_active"]}),
        ("Profile", {"fields": ["bio", "photo"]}),
        ("Links", {"fields": ["website", "orcid", "social_url"]}),
        ("Admin login", {"fields": ["user"]}),
    ]
