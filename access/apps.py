from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    default = True
    name = "access"
    verbose_name = _("Utenti e ruoli")


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's admin site (access.sites.AdminSite)."""

    default = False
    default_site = "access.sites.AdminSite"
