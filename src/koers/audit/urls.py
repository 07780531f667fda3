from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("auditlog/", views.log, name="log"),
    path("auditlog/export/", views.export, name="export"),
    path("noodtoegang/", views.break_glass_list, name="break_glass_list"),
    path("noodtoegang/<int:pk>/", views.break_glass_detail, name="break_glass_detail"),
]
