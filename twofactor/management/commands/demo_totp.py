"""`make run`: the demo coordinator's authenticator, so the demo login works as production does.

Creates (once) a TOTP device with a fixed, public demo secret for the demo coordinator and
prints the secret and the current code. Refuses to run with DEBUG off: a public secret
must never protect a real account.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.services import recovery_codes_renew

# Public on purpose (README): base32 LABINB4AHRYRWSMI2N6BUAITUHRACG2N.
DEMO_KEY_HEX = "58028687803c711b4988d37c1a0113a1e2011b4d"
DEMO_USER = "coordinatore"


class Command(BaseCommand):
    help = "Give the demo coordinator a demo authenticator (DEBUG only) and print the current code."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp runs only with DEBUG on (make run).")
        user = get_user_model().objects.filter(username=DEMO_USER).first()
        if user is None:
            raise CommandError("Load the demo data first (manage.py load_demo).")
        device, created = TOTPDevice.objects.get_or_create(
            user=user, name="demo", defaults={"key": DEMO_KEY_HEX, "confirmed": True}
        )
        if created:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            recovery_codes_renew(user=user)
        secret = device.config_url.split("secret=")[1].split("&")[0]
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(
            f"Demo coordinator's second step: authenticator secret {secret}\n"
            f"  current code {code:06d} (valid ~30 s; run `make totp` for a fresh one)"
        )
