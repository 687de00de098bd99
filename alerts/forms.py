"""What a reader may follow, on the subscribe page and the preferences page."""

from django import forms
from django.conf import settings
from django.db import transaction

from publications.facets import FACETS

from .models import Subscriber
from .tasks import forget_unconfirmed_later, send_confirmation
from .throttle import allowed

DAY = 24 * 60 * 60  # seconds

# The facet (its name in ?author=kim-sora, as on the list page's filters) -> the field.
FOLLOWABLE = {"author": "authors", "region": "regions", "type": "types", "tag": "tags"}


class FollowChoice(forms.ModelMultipleChoiceField):
    """Items of one facet as checkboxes, named by slug (?author=kim-sora checks one)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, facet, label):
        super().__init__(FACETS[facet].items(), required=False, to_field_name="slug", label=label)

    def label_from_instance(self, obj):
        return getattr(obj, "plural_label", None) or obj.name


class FollowsForm(forms.Form):
    """What to follow, and how often; `apply_to()` sets them on a subscriber."""

    follows_everything = forms.BooleanField(required=False, label="Everything we publish")
    authors = FollowChoice("author", "Experts")
    regions = FollowChoice("region", "Regions (each with its subregions)")
    types = FollowChoice("type", "Types")
    tags = FollowChoice("tag", "Topics")
    frequency = forms.ChoiceField(
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
        label="How often",
    )

    def clean(self):
        data = super().clean()
        if not data.get("follows_everything") and not any(
            data.get(field) for field in FOLLOWABLE.values()
        ):
            raise forms.ValidationError(
                "Choose at least one expert, region, type or topic to follow, or everything."
            )
        return data

    @classmethod
    def initial_for(cls, subscriber):
        return {
            "follows_everything": subscriber.follows_everything,
            "frequency": subscriber.frequency,
            **{field: list(getattr(subscriber, field).all()) for field in FOLLOWABLE.values()},
        }

    @transaction.atomic
    def apply_to(self, subscriber):
        subscriber.follows_everything = self.cleaned_data["follows_everything"]
        subscriber.frequency = self.cleaned_data["frequency"]
        subscriber.save()
        for field in FOLLOWABLE.values():
            getattr(subscriber, field).set(self.cleaned_data[field])


class SubscribeForm(FollowsForm):
    email = forms.EmailField(label="Your email address")
    # Left empty by people; bots that fill in every field are answered as if they
    # had subscribed, and nothing is sent.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = ("email",)

    @classmethod
    def initial_from(cls, query):
        """The follows a "Follow ..." link names: ?author=kim-sora&region=northeast-asia."""
        return {
            field: query.getlist(facet) for facet, field in FOLLOWABLE.items() if facet in query
        }

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    @property
    def is_from_a_bot(self):
        return bool(self.cleaned_data.get("website"))

    def subscribe(self):
        """Note what a new or unconfirmed address follows, and have it sent its
        confirmation link; a confirmed one is changed only through its own signed
        link, and is sent that instead. A bot's request changes and sends nothing, and
        no address gets more than ALERTS_CONFIRMATIONS_PER_ADDRESS a day. Whichever
        happens, the reader is answered the same: nothing tells whether an address is known.
        """
        if self.is_from_a_bot:
            return
        subscriber, created = Subscriber.objects.get_or_create(email=self.cleaned_data["email"])
        if created:
            forget_unconfirmed_later()
        if not subscriber.is_confirmed:
            self.apply_to(subscriber)
        limit = settings.ALERTS_CONFIRMATIONS_PER_ADDRESS
        if allowed("confirmations", subscriber.email, limit, DAY):
            transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))
