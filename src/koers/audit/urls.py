from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("auditlog/", views.log, name="log"),
    path("noodtoegang/", views.break_glass_list, name="break_glass_list"),
]
