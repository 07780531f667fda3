from django.urls import path

from . import views

app_name = "instruments"

urlpatterns = [
    path("instellingen/", views.settings_page, name="settings"),
    path("<int:client_pk>/", views.client_page, name="client"),
    path("<int:client_pk>/nieuw/<slug:instrument_code>/", views.record, name="record"),
    path("<int:client_pk>/meting/<int:pk>/", views.detail, name="detail"),
    path("<int:client_pk>/meting/<int:pk>/corrigeren/", views.correct, name="correct"),
    path("<int:client_pk>/voortgang/", views.progress, name="progress"),
]
