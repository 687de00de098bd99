"""Curation in the publication admin: the suggested related publications with their
Pin and Unpin buttons, the picks autocomplete, the featured order and the tag look-up."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from taggit.models import Tag

from ..models import Publication, RelatedPick
from ..policy import why_not
from ..related import related_publications
from .forms import TagAutocompleteWidget, TagNamesField


class PublicationCuration:
    """PublicationAdmin's curation. A mixin rather than a module of functions because
    these are the admin's own hooks and views (save_related, get_urls...), which Django
    calls as methods."""

    @admin.display(description="suggested related publications")
    def suggested_related(self, obj):
        return self._suggestions(obj, pins=True)

    @admin.display(description="suggested related publications")
    def suggestions(self, obj):
        """The suggestions as they are, for who may not pin them (PublicationAdmin's
        READ_ONLY_AS)."""
        return self._suggestions(obj, pins=False)

    def _suggestions(self, obj, *, pins):
        if obj is None or obj.pk is None:
            return "Suggestions appear here after the first save."
        suggestions = related_publications(obj)
        if not suggestions:
            return (
                "Nothing to suggest yet: no other published publication. "
                "Suggestions come from shared tags and regions."
            )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="help">({})</span> — {}{}</li>',
            (
                (
                    reverse(
                        "admin:publications_publication_change", args=[suggestion.publication.pk]
                    ),
                    suggestion.publication.title,
                    timezone.localdate(suggestion.publication.published_at).isoformat(),
                    "; ".join(suggestion.reasons),
                    self._pin_button(suggestion) if pins else "",
                )
                for suggestion in suggestions
            ),
        )
        suggested = format_html('<ol class="suggested-related">{}</ol>', items)
        if pins:
            return format_html(
                "<p>“Pin” adds a suggestion to the related picks below, last, and "
                "“Unpin” takes it off; saving the form keeps the change.</p>{}",
                suggested,
            )
        return suggested

    @staticmethod
    def _pin_button(suggestion):
        # A submit button of the change form itself (the panel is inside its <form>).
        # static/js/pin.js adds or removes the pick's row in the page, for the form's
        # Save to keep; without JavaScript the form is saved, then the pick added or
        # removed (save_related).
        action = "Unpin" if suggestion.curated else "Pin"
        return format_html(
            ' <button type="submit" class="button" name="_{}" value="{}" data-title="{}"'
            ' aria-label="{} “{}”">{}</button>',
            action.lower(),
            suggestion.publication.pk,
            suggestion.publication.title,
            action,
            suggestion.publication.title,
            action,
        )

    # Pins from the suggestions panel.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for action in ("_pin", "_unpin"):
            if action in request.POST:
                request.curation_message = self._pin(request, form.instance, action)

    def _pin(self, request, publication, action):
        """Pin or unpin the publication whose id the button sent; returns what to tell."""
        refusal = why_not(request.user, "picks")
        if refusal:
            return messages.ERROR, refusal
        # Any pick may be unpinned; only what readers can see may be pinned.
        choices = (
            Publication.objects.all() if action == "_unpin" else Publication.objects.published()
        )
        try:
            chosen = choices.get(pk=int(request.POST[action]))
        except (ValueError, Publication.DoesNotExist):
            return messages.ERROR, "That publication is no longer published, so it was not pinned."
        picks = RelatedPick.objects.filter(from_publication=publication)
        if action == "_unpin":
            picks.filter(to_publication=chosen).delete()
            return messages.SUCCESS, f"Unpinned “{chosen}”."
        if chosen.pk == publication.pk:
            return messages.ERROR, "A publication cannot be related to itself."
        if not picks.filter(to_publication=chosen).exists():
            last = picks.aggregate(last=Max("position"))["last"]
            RelatedPick.objects.create(
                from_publication=publication,
                to_publication=chosen,
                position=0 if last is None else last + 1,
            )
        place = list(
            picks.filter(to_publication__in=Publication.objects.published()).values_list(
                "to_publication", flat=True
            )
        ).index(chosen.pk)
        where = "first" if place == 0 else f"at position {place + 1}"
        return messages.SUCCESS, f"Pinned “{chosen}”: readers see it {where}."

    def response_change(self, request, obj):
        if hasattr(request, "curation_message"):
            level, message = request.curation_message
            self.message_user(request, message, level=level)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # The picks autocomplete.

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        picking = (
            request.resolver_match.view_name == "admin:autocomplete"
            and request.GET.get("model_name") == "relatedpick"
            and request.GET.get("field_name") == "to_publication"
        )
        if picking:
            # Readers never see a pick that is not public, so none is offered.
            queryset = queryset & Publication.objects.published()
        return queryset, may_have_duplicates

    # The featured order and the tag look-up: views of their own.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("featured-order/", view(self.featured_order), name="publications_featured_order"),
            path("tags/", view(self.tag_names), name="publications_publication_tags"),
            *super().get_urls(),
        ]

    def has_order_featured_permission(self, request):
        return self.has_change_permission(request) and not why_not(
            request.user, "featured_position"
        )

    def changelist_view(self, request, extra_context=None):
        context = {
            "may_order_featured": self.has_order_featured_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def featured_order(self, request):
        """The featured publications in the home page's order, for curators to reorder."""
        if not self.has_order_featured_permission(request):
            raise PermissionDenied
        featured = list(Publication.objects.featured().select_related("publication_type"))
        if request.method == "POST":
            error = self._save_featured_order(request, featured)
            if error is None:
                self.message_user(request, "The featured order is saved.")
                return HttpResponseRedirect(request.path)
            self.message_user(request, error, level=messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": "Featured order",
            "opts": self.opts,
            "featured": featured,
            # Who may not feature is told who may, rather than to tick a box they cannot.
            "why_not_feature": why_not(request.user, "is_featured"),
            "media": self.media + forms.Media(js=["js/reorder.js"]),
        }
        return TemplateResponse(
            request, "admin/publications/publication/featured_order.html", context
        )

    def _save_featured_order(self, request, featured):
        """Save the positions posted for `featured`; returns an error message or None."""
        positions = {}
        for publication in featured:
            # One featured since the page was shown keeps its place.
            value = request.POST.get(f"{publication.pk}-position", "").strip()
            value = value or str(publication.featured_position)
            if not (value.isascii() and value.isdigit()) or int(value) > 32767:
                return f"The position of “{publication}” must be a whole number from 0 to 32767."
            positions[publication.pk] = int(value)
        with transaction.atomic():
            for publication in featured:
                if publication.featured_position != positions[publication.pk]:
                    publication.featured_position = positions[publication.pk]
                    publication.save(update_fields=["featured_position"])
        return None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return db_field.formfield(
                form_class=TagNamesField,
                widget=TagAutocompleteWidget(reverse("admin:publications_publication_tags")),
                help_text="Type to find a tag (with how many publications use it), or "
                "add a new one. Shared tags decide what is suggested as related.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def tag_names(self, request):
        """The tags whose names hold `term`, most used first, for the tag widget."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = " ".join(request.GET.get("term", "")[:100].split())
        tags = (
            Tag.objects.filter(name__icontains=term)
            .annotate(count=Count("publications_taggedpublication_items"))
            .order_by("-count", "name")[:20]
        )
        return JsonResponse(
            {"results": [{"id": tag.name, "text": tag.name, "count": tag.count} for tag in tags]}
        )
