"""Django's permission API answered from the table (access/permissions.py).

`user.has_perm("services.change_sportello")` asks whether any role of the user allows the
action on that kind of record; `user.has_perm("services.change_sportello", desk)` whether it
allows it on that row. `{% if perms.reports.view_dashboard %}`, the admin, django-filter and
DRF's object permissions therefore agree with the admin's own checks. Pages that are no model
answer as `<app>.view_<page>` ("reports.view_dashboard").

It replaces ModelBackend (it authenticates the same way): Django's per-user and per-group
permissions are not used by the portal, so none can widen the table behind its back.
Superusers keep Django's shortcut (every permission), as the table gives them everything.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from access import permissions

_ACTIONS = (permissions.VIEW, permissions.ADD, permissions.CHANGE, permissions.DELETE)


def parse(perm: str) -> tuple[str, str] | None:
    """("services.change_sportello") → ("change", "services.sportello"); None if not of that form."""
    app_label, _, codename = perm.partition(".")
    action, _, name = codename.partition("_")
    if not app_label or action not in _ACTIONS or not name:
        return None
    return action, f"{app_label}.{name}"


class PermissionTableBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        parsed = parse(perm)
        if parsed is None:
            return False
        action, label = parsed
        if label not in permissions.ACTIONS:
            return False
        if obj is None:
            return permissions.can(user_obj, action, label)
        return permissions.can_access_object(user_obj, action, obj)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        prefix = f"{app_label}."
        return any(
            permissions.can(user_obj, permissions.VIEW, label)
            for label in permissions.ACTIONS
            if label.startswith(prefix)
        )

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        """Every "app.action_model" the table gives this user (before row scope)."""
        if not user_obj.is_active or obj is not None:
            return set()
        found = set()
        for label in permissions.ACTIONS:
            app_label, _, name = label.partition(".")
            for action in _ACTIONS:
                if permissions.can(user_obj, action, label):
                    found.add(f"{app_label}.{action}_{name}")
        return found

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        # Users by role are found through access.models.Membership, not Django's tables.
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.none()
