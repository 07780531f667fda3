from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("<int:client_pk>/", views.client_overview, name="client"),
    path("<int:client_pk>/<slug:kind>/nieuw/", views.entry_add, name="add"),
    path("<int:client_pk>/<slug:kind>/<int:entry_pk>/", views.entry_edit, name="edit"),
    path("<int:client_pk>/<slug:kind>/<int:entry_pk>/beeindigen/", views.entry_end, name="end"),
]
