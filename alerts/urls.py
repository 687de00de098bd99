from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent, name="subscribe-sent"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/<str:token>/", views.preferences, name="preferences"),
    path("alerts/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
