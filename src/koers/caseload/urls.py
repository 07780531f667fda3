from django.urls import path

from . import views

app_name = "caseload"

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("zoeken/", views.search, name="search"),
]
