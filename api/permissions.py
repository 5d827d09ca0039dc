"""Who may call the open-data API: everybody, for reading only.

The API serves published, public records and nothing else, so there is no per-role rule to
consult (territories.permissions decides what back-office users see; nothing here widens it):
no authentication class runs, a logged-in operator is answered exactly like an anonymous reader.
"""

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission


class PublicReadOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method not in SAFE_METHODS:
            raise MethodNotAllowed(request.method)  # 405: nothing here is writable, by anyone
        return True
