"""Subscribing, confirming, and the signed preferences and unsubscribe pages.

None is cached (never_cache): each answers one reader. No account, no password: the
preferences and unsubscribe pages open with the signed link from any alert.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from thinktank.building_blocks.proxies import client_address

from . import signing
from .forms import FollowsForm, SubscribeForm
from .models import Subscriber
from .throttle import allowed

HOUR = 60 * 60  # seconds


def _subscriber(read, token):
    """The subscriber a signed link names, or None."""
    signed = read(token)
    return signed and Subscriber.objects.filter(pk=signed[0], email=signed[1]).first()


def _bad_link(request):
    return render(request, "alerts/bad_link.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        form = SubscribeForm(initial=SubscribeForm.initial_from(request.GET))
        return render(request, "alerts/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    who = client_address(request) or "unknown"
    if not allowed("subscribe", who, settings.ALERTS_SUBSCRIBE_LIMIT, HOUR):
        return render(request, "alerts/subscribe.html", {"form": form, "refused": True}, status=429)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    if not allowed("subscribe-address", email, settings.ALERTS_SUBSCRIBE_LIMIT, HOUR):
        return render(request, "alerts/subscribe.html", {"form": form, "refused": True}, status=429)
    form.subscribe()
    return redirect("alerts:subscribe-sent")


@never_cache
def subscribe_sent(request):
    return render(request, "alerts/subscribe_sent.html")


# A visit only asks: mail scanners open every link in an email, and a GET that
# confirmed would subscribe whoever was named, without their consent.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    subscriber = _subscriber(signing.read_confirm_token, token)
    if subscriber is None:
        return _bad_link(request)
    if request.method == "POST":
        subscriber.confirm()
        return redirect(request.path)
    template = "alerts/confirmed.html" if subscriber.is_confirmed else "alerts/confirm.html"
    return render(request, template, {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber = _subscriber(signing.read_manage_token, token)
    if subscriber is None:
        return _bad_link(request)
    form = FollowsForm(request.POST or None, initial=FollowsForm.initial_for(subscriber))
    if form.is_valid():
        form.apply_to(subscriber)
        return redirect(f"{subscriber.get_absolute_url()}?saved=1")
    context = {"form": form, "subscriber": subscriber, "saved": "saved" in request.GET}
    return render(request, "alerts/preferences.html", context, status=400 if form.errors else 200)


# One POST unsubscribes (RFC 8058), from a mail program that has no CSRF token: the
# signed link is the proof that the request comes from the address's owner.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    signed = signing.read_manage_token(token)
    if signed is None:
        return _bad_link(request)
    subscriber = Subscriber.objects.filter(pk=signed[0], email=signed[1]).first()
    if request.method == "POST" or subscriber is None:  # None: unsubscribed already
        if subscriber is not None:
            subscriber.delete()  # the address, its follows and what it was sent: all forgotten
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html", {"subscriber": subscriber})
