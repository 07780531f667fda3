from django.urls import path

from . import views

app_name = "checklist"

urlpatterns = [
    path("beheer/", views.template_list, name="templates"),
    path("beheer/nieuw/", views.template_create, name="template_create"),
    path("beheer/<int:pk>/", views.template_detail, name="template"),
    path("beheer/<int:pk>/wijzigen/", views.template_edit, name="template_edit"),
    path("beheer/<int:pk>/verwijderen/", views.template_delete, name="template_delete"),
    path("beheer/<int:pk>/taak/nieuw/", views.template_task_add, name="template_task_add"),
    path(
        "beheer/<int:pk>/taak/<int:task_pk>/", views.template_task_edit, name="template_task_edit"
    ),
    path(
        "beheer/<int:pk>/taak/<int:task_pk>/verwijderen/",
        views.template_task_remove,
        name="template_task_remove",
    ),
    path(
        "beheer/<int:pk>/taak/<int:task_pk>/<slug:direction>/",
        views.template_task_move,
        name="template_task_move",
    ),
    path("<int:client_pk>/", views.household, name="household"),
    path("<int:client_pk>/starten/", views.start, name="start"),
    path("<int:client_pk>/taak/<int:task_pk>/", views.task_edit, name="task"),
    path("<int:client_pk>/taak/<int:task_pk>/gedaan/", views.task_done, name="task_done"),
]
