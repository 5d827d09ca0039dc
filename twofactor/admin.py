"""The coordinator resets a colleague's second step (lost phone) by deleting their devices."""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.admin import ScopedAdminMixin

for model, base in [(TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(
        model,
        type(base.__name__, (ScopedAdminMixin, base), {"list_display": ("user", "name", "confirmed")}),
    )
