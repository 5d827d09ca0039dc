"""The portal's admin site: Django's, with "view on site" asking the permission table."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from access import permissions

# Sections and tables of third-party apps whose names are not translatable upstream
# (django-axes, django-otp) or read badly: named here in Italian, like ours.
APP_NAMES = {
    "auth": _("Autenticazione e autorizzazione"),
    "axes": _("Sicurezza dell'accesso"),
    "otp_totp": _("Verifica in due passaggi"),
    "otp_static": _("Codici di riserva della verifica in due passaggi"),
}
MODEL_NAMES = {
    "otp_totp.totpdevice": _("App di verifica registrate"),
    "otp_static.staticdevice": _("Codici di riserva"),
}


class AdminSite(admin.AdminSite):
    site_header = _("Lab'Impact — area riservata")
    site_title = _("Lab'Impact")
    index_title = _("Gestione del piano regionale")

    def get_app_list(self, request, app_label=None):
        """Django's menu without the reference tables this user may only read."""
        from access.home import hidden_from_menu

        app_list = []
        for app in super().get_app_list(request, app_label):
            models = [
                model
                for model in app["models"]
                if not hidden_from_menu(request.user, f"{app['app_label']}.{model['object_name'].lower()}")
            ]
            for model in models:
                label = f"{app['app_label']}.{model['object_name'].lower()}"
                if label in MODEL_NAMES:
                    model["name"] = MODEL_NAMES[label]
            if models:
                app_list.append({**app, "name": APP_NAMES.get(app["app_label"], app["name"]), "models": models})
        return app_list

    def index(self, request, extra_context=None):
        """The home as a desk: the user's queue, their most common actions, the regional view."""
        from access import home

        context = {
            "labimpact_queue": home.queue(request.user),
            "labimpact_actions": home.actions(request.user),
            "labimpact_regional": home.regional_view(request.user),
            **(extra_context or {}),
        }
        return super().index(request, extra_context=context)

    def get_urls(self):
        urls = super().get_urls()
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's redirect to an object's public page, for rows the user may see only.

        A row outside the user's scope (another ambito's draft news, say) answers 404, like
        a row that does not exist, so its public address is not revealed.
        """
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
        if model is None:
            raise Http404
        try:
            queryset = permissions.visible(request.user, model._default_manager.filter(pk=object_id))
            exists = queryset.exists()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        if not exists:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
