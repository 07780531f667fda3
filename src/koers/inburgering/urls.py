from django.urls import path

from . import views

app_name = "inburgering"

urlpatterns = [
    path("<int:client_pk>/", views.overview, name="overview"),
    path("<int:client_pk>/plicht/", views.duty_edit, name="duty"),
    path("<int:client_pk>/termijn/", views.term_edit, name="term"),
    path("<int:client_pk>/termijn/verlenging/", views.extension_add, name="extension_add"),
    path("<int:client_pk>/vrijstelling/", views.exemption_add, name="exemption_add"),
    path("<int:client_pk>/ontheffing/", views.release_add, name="release_add"),
    path("<int:client_pk>/aanbod/nieuw/", views.course_edit, name="course_add"),
    path("<int:client_pk>/aanbod/<int:course_pk>/", views.course_edit, name="course_edit"),
    path("<int:client_pk>/uren/", views.month_hours, name="hours"),
    path("<int:client_pk>/voortgangsgesprek/", views.meeting_add, name="meeting_add"),
    path("<int:client_pk>/pvt/", views.pvt_edit, name="pvt"),
    path("<int:client_pk>/map/", views.map_edit, name="map"),
    path("<int:client_pk>/examen/", views.exam_add, name="exam_add"),
    path("<int:client_pk>/ontzorgen/nieuw/", views.ontzorgen_edit, name="ontzorgen_add"),
    path("<int:client_pk>/ontzorgen/<int:period_pk>/", views.ontzorgen_edit, name="ontzorgen_edit"),
    path("<int:client_pk>/handhaving/", views.enforcement_add, name="enforcement_add"),
]
