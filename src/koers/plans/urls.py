from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("mijn-acties/", views.my_actions, name="my_actions"),
    path("<int:client_pk>/", views.plan_detail, name="detail"),
    path("<int:client_pk>/nieuw/", views.plan_create, name="create"),
    path("<int:client_pk>/hulpvraag/", views.help_question_edit, name="help_question"),
    path("<int:client_pk>/vaststellen/", views.plan_establish, name="establish"),
    path("<int:client_pk>/evalueren/", views.plan_review, name="review"),
    path("<int:client_pk>/herzien/", views.plan_revise, name="revise"),
    path("<int:client_pk>/geschiedenis/", views.plan_history, name="history"),
    path("<int:client_pk>/doelen/nieuw/", views.goal_create, name="goal_create"),
    path("<int:client_pk>/doelen/<int:pk>/", views.goal_edit, name="goal_edit"),
    path(
        "<int:client_pk>/doelen/<int:goal_pk>/acties/nieuw/",
        views.action_create,
        name="action_create",
    ),
    path("<int:client_pk>/acties/<int:pk>/", views.action_edit, name="action_edit"),
    path(
        "<int:client_pk>/acties/<int:pk>/afronden/",
        views.action_complete,
        name="action_complete",
    ),
]
