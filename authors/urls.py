from django.urls import path

app_name = "authors"
urlpatterns = []
