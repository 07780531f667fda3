from django.urls import path

from . import views

app_name = "pip"

urlpatterns = [
    path("briefsjablonen/", views.letter_templates, name="letter_templates"),
    path(
        "briefsjablonen/<int:municipality_pk>/",
        views.letter_template_edit,
        name="letter_template_edit",
    ),
    path("<int:client_pk>/", views.client_pip, name="client"),
    path("<int:client_pk>/intake/nieuw/", views.intake_new, name="intake_new"),
    path("<int:client_pk>/intake/<int:pk>/", views.intake_detail, name="intake"),
    path("<int:client_pk>/lbt/nieuw/", views.lbt_edit, name="lbt_new"),
    path("<int:client_pk>/lbt/<int:pk>/", views.lbt_edit, name="lbt"),
    path("<int:client_pk>/besluit/nieuw/", views.decision_new, name="decision_new"),
    path("<int:client_pk>/besluit/<int:pk>/", views.decision_detail, name="decision"),
    path("<int:client_pk>/besluit/<int:pk>/bewerken/", views.decision_edit, name="decision_edit"),
    path(
        "<int:client_pk>/besluit/<int:pk>/verwijderen/",
        views.decision_remove,
        name="decision_remove",
    ),
    path(
        "<int:client_pk>/besluit/<int:pk>/vaststellen/",
        views.decision_adopt,
        name="decision_adopt",
    ),
    path("<int:client_pk>/besluit/<int:pk>/brief.pdf", views.decision_letter, name="letter"),
    path(
        "<int:client_pk>/besluit/<int:pk>/<slug:kind>/",
        views.appeal_edit,
        name="appeal",
    ),
    path(
        "<int:client_pk>/besluit/<int:pk>/status/<slug:step>/",
        views.decision_step,
        name="decision_step",
    ),
]
