from django.urls import include, path

from koers.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("koers.core.urls")),
    path("", include("koers.accounts.urls")),
    path("clienten/", include("koers.clients.urls")),
    path("netwerk/", include("koers.network.urls")),
    path("tijdlijn/", include("koers.timeline.urls")),
    path("profiel/", include("koers.profiles.urls")),
    path("documenten/", include("koers.documents.urls")),
    path("caseload/", include("koers.caseload.urls")),
    path("metingen/", include("koers.instruments.urls")),
    path("plan/", include("koers.plans.urls")),
    path("pip/", include("koers.pip.urls")),
    path("inburgering/", include("koers.inburgering.urls")),
    path("werk/", include("koers.work.urls")),
    path("checklist/", include("koers.checklist.urls")),
    path("beheer/", include("koers.organisations.urls")),
    path("privacy/", include("koers.audit.urls")),
]

handler404 = "koers.core.views.not_found"
handler403 = "koers.core.views.forbidden"
