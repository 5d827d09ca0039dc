"""Two-factor login: an authenticator app (TOTP) and ten single-use recovery codes.

Built on django-otp: a TOTPDevice per user, confirmed by a first code, and a StaticDevice
named "recovery" holding the codes. Required for the Regione coordinator (and superusers,
who can do everything); offered to everyone else with back-office access.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.permissions import grants_for

RECOVERY_DEVICE = "recovery"
RECOVERY_CODES = 10


def two_factor_required(user) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED) and (user.is_superuser or grants_for(user).coordinator)


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """The device being enrolled: a fresh secret until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("App di autenticazione"), confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm enrolment with a first code; replaces earlier devices. Returns new recovery codes."""
    if device.confirmed or not device.verify_token(token.strip()):
        raise ValidationError(_("Il codice non è corretto: controlla l'ora del telefono e riprova."))
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def token_match(*, user, token: str):
    """The device that accepts `token`, or None. A wrong code slows that device down
    (django-otp throttling: 1, 2, 4, 8… seconds), which locks out guessing."""
    token = token.strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


def locked_out(user) -> bool:
    """Every device is throttled after wrong codes: no code is checked until the delay ends."""
    devices = list(devices_for_user(user, confirmed=True))
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)
