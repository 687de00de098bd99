from django.urls import path

app_name = "publications"
urlpatterns = []
