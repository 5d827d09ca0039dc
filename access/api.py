"""One permission class for every API view (Django REST framework), answered from the table.

    class ActivityViewSet(ModelViewSet):
        permission_classes = [TablePermission]
        def get_queryset(self):
            return visible(self.request.user, Activity.objects.all())

The request method picks the action (GET/HEAD/OPTIONS → view, POST → add, PUT/PATCH →
change, DELETE → delete); the view's model, or its `access_label` for a page that is not a
model, picks the row of ACTIONS; objects are checked with `can_access_object` (rows outside
the scope should not be in `get_queryset()` in the first place, so they answer 404). DRF
calls permission classes by duck typing, so this module needs no import of rest_framework
(list classes rather than combining them with `&`/`|`, which needs BasePermission).
Writes still go through the services, which check scope and field rules again.
"""

from __future__ import annotations

from access import permissions

ACTION_FOR_METHOD = {
    "GET": permissions.VIEW,
    "HEAD": permissions.VIEW,
    "OPTIONS": permissions.VIEW,
    "POST": permissions.ADD,
    "PUT": permissions.CHANGE,
    "PATCH": permissions.CHANGE,
    "DELETE": permissions.DELETE,
}


def _target(view):
    label = getattr(view, "access_label", None)
    if label:
        return label
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        queryset = view.get_queryset()
    return queryset.model


class TablePermission:
    message = None  # DRF's default "You do not have permission…", translated by DRF

    def has_permission(self, request, view) -> bool:
        action = ACTION_FOR_METHOD.get(request.method)
        return action is not None and permissions.can(request.user, action, _target(view))

    def has_object_permission(self, request, view, obj) -> bool:
        action = ACTION_FOR_METHOD.get(request.method)
        return action is not None and permissions.can_access_object(request.user, action, obj)
