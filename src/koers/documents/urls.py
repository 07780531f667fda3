from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:client_pk>/", views.client_documents, name="client"),
    path("<int:client_pk>/<int:pk>/download/", views.download, name="download"),
]
