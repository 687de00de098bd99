"""The topics publications are filed under: regions, types and tags (with their merge)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from taggit.models import Tag

from thinktank.building_blocks.admin_actions import may_be_an_id
from thinktank.building_blocks.versioned_admin import VersionAdmin

from ..models import (
    PublicationType,
    Region,
    TagMerge,
    merge_sentence,
    public_tag_count,
    publications_under,
)
from ..tag_merges import GONE_SINCE, MergeRefused, merge, undo

# How many merges the tag list shows, newest first, to undo.
RECENT_MERGES = 10


@admin.register(Region)
class RegionAdmin(VersionAdmin):
    list_display = ["name", "parent", "sort_order"]
    list_editable = ["sort_order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "parent", "description", "sort_order"]


@admin.register(PublicationType)
class PublicationTypeAdmin(VersionAdmin):
    list_display = ["name", "plural_label", "kind", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "plural_label"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "plural_label", "slug", "kind", "sort_order"]


# taggit's own Tag admin lists and merges generic TaggedItems, which our publications
# do not use (their tags live in TaggedPublication), so ours replaces it.
admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As on every other item: a name with no letters ("!!!") gets "tag", "tag-2"...
        slug = self.fields.get("slug")  # none when the form is read-only
        if slug is not None:
            slug.required = False
            slug.help_text = (
                "Part of the tag's page address. Leave blank to make one from the name."
            )


class MergeForm(forms.Form):
    """Which of the tags being merged stays: the one on most publications unless chosen."""

    survivor = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which tag stays.",
            "invalid_choice": "Choose which tag stays from the tags being merged.",
        },
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, initial={"survivor": tags[0].pk}, **kwargs)
        self.fields["survivor"].choices = [(tag.pk, tag.name) for tag in tags]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "publication_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(publication_count=Count("publications_taggedpublication_items"))
        )

    @admin.display(description="publications", ordering="publication_count")
    def publication_count(self, obj):
        return obj.publication_count

    def has_merge_permission(self, request):
        """Who may merge tags, and undo a merge: who may change and delete them."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("merges/<int:pk>/undo/", view(self.undo_merge), name="taggit_tag_undo_merge"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        merges = None
        if self.has_merge_permission(request):
            merges = TagMerge.objects.recent()[:RECENT_MERGES]
        return super().changelist_view(request, {"merges": merges, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        merges = None
        if self.has_merge_permission(request) and may_be_an_id(self.opts, object_id):
            merges = TagMerge.objects.recent().in_effect().filter(survivor=object_id)
        context = {"merges": merges, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    @admin.action(description="Merge selected tags…", permissions=["merge"])
    def merge_tags(self, request, queryset):
        """Ask which tag stays, with the counts; merge on Confirm (`post`), not before."""
        chosen = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        tags = sorted(
            queryset.annotate(public_count=public_tag_count()),
            key=lambda tag: (-tag.publication_count, tag.name),
        )
        if request.POST.get("select_across") != "1" and len(tags) != len(set(chosen)):
            self.message_user(request, GONE_SINCE, messages.ERROR)
            return None
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "post" in request.POST else None, tags=tags)
        if form.is_valid():
            try:
                record, sentence = merge(
                    [tag.pk for tag in tags], form.cleaned_data["survivor"], by=request.user
                )
            except MergeRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return None
            undo = reverse("admin:taggit_tag_undo_merge", args=[record.pk])
            self.message_user(request, format_html('{} <a href="{}">Undo…</a>', sentence, undo))
            return None
        return self._merge_confirmation(request, tags, form)

    def _merge_confirmation(self, request, tags, form):
        publications, shared = publications_under([tag.pk for tag in tags])
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.opts,
            "rows": list(zip(tags, form["survivor"], strict=True)),
            "form": form,
            "sentence": merge_sentence(len(tags), tags[0].name, publications, shared),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + forms.Media(js=["js/tag_merge.js"]),
        }
        return TemplateResponse(request, "admin/taggit/tag/merge_confirmation.html", context)

    def undo_merge(self, request, pk):
        """What undoing a merge does, and on Confirm (POST), the undo."""
        if not self.has_merge_permission(request):
            raise PermissionDenied
        record = get_object_or_404(TagMerge.objects.recent(), pk=pk)
        changelist = reverse("admin:taggit_tag_changelist")
        if request.method == "POST":
            try:
                self.message_user(request, undo(record, by=request.user))
            except MergeRefused as refused:
                self.message_user(request, f"Nothing was undone: {refused}", messages.ERROR)
            return HttpResponseRedirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "title": "Undo a merge of tags",
            "opts": self.opts,
            "merge": record,
            "merged_tags": record.merged_tags.annotate(publication_count=Count("publications")),
            "gained": record.gained.count(),
            "refusal": record.undo_refusal(),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/taggit/tag/undo_merge.html", context)
