from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("waarneming/", views.delegations, name="delegations"),
    path("waarneming/nieuw/", views.delegation_create, name="delegation_create"),
    path("waarneming/<int:pk>/beeindigen/", views.delegation_end, name="delegation_end"),
    path("<int:client_pk>/", views.household, name="household"),
    path("<int:client_pk>/toevoegen/", views.involvement_add, name="involvement_add"),
    path(
        "<int:client_pk>/betrokkenheid/<int:pk>/beeindigen/",
        views.involvement_end,
        name="involvement_end",
    ),
    path("<int:client_pk>/regie/", views.handover, name="handover"),
    path("<int:client_pk>/warme-overdracht/", views.warm_handover, name="warm_handover"),
    path("<int:client_pk>/verhuizing/", views.relocation, name="relocation"),
    path("<int:client_pk>/toestemming/", views.consents, name="consents"),
    path(
        "<int:client_pk>/toestemming/<int:pk>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "<int:client_pk>/toestemming/<int:pk>/formulier/",
        views.consent_print,
        name="consent_print",
    ),
]
