from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def two_factor_required_in_production(app_configs, **kwargs):
    if settings.DEBUG or settings.DEMO_MODE or settings.KOERS_REQUIRE_2FA:
        return []
    return [
        Error(
            "Two-factor authentication is off (KOERS_REQUIRE_2FA=false) outside demo mode.",
            hint=(
                "Koers holds special-category data; BIO2 requires MFA. Set KOERS_REQUIRE_2FA=true."
            ),
            id="koers.E001",
        )
    ]


@register(Tags.security, deploy=True)
def demo_mode_not_in_production(app_configs, **kwargs):
    if settings.DEMO_MODE:
        return [
            Error(
                "Demo mode (KOERS_DEMO=true) is on.",
                hint="Demo mode turns off 2FA and loads demo data; never use it in production.",
                id="koers.E002",
            )
        ]
    return []
