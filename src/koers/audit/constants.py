from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    BREAK_GLASS = "break_glass", _("Break-the-glass")
    BREAK_GLASS_REVIEW = "break_glass_review", _("Break-the-glass reviewed")
    AUDIT_EXPORT = "audit_export", _("Audit log exported")
    AUDIT_PURGE = "audit_purge", _("Audit log purged")
    ADMIN_CHANGE = "admin_change", _("Administration changed")
