"""Two-factor login: enrolment, login with the app or a recovery code, lock-out, and the
coordinator sent to enrolment. TWO_FACTOR_REQUIRED is on here, as in production."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor import services

pytestmark = pytest.mark.django_db

PASSWORD = "labimpact-demo"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _code(device, offset=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def _password_login(client, username):
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302, response.content[:300]
    return response


def _enrol(user):
    device = services.totp_device_start(user=user)
    codes = services.totp_device_confirm(device=device, token=_code(device))
    device.refresh_from_db()
    device.last_t = -1  # the enrolment code may be used again by the test's login
    device.save()
    return device, codes


def test_coordinator_without_a_device_is_sent_to_enrolment(client):
    _password_login(client, "coordinatore")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:setup"))
    assert client.get(reverse("admin:services_sportello_changelist")).status_code == 302


def test_enrolment_shows_a_qr_code_and_gives_recovery_codes(client, coordinatore):
    _password_login(client, "coordinatore")
    page = client.get(reverse("twofactor:setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinatore, confirmed=False)
    wrong = client.post(reverse("twofactor:setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    done = client.post(reverse("twofactor:setup"), {"token": _code(device), "next": "/admin/"})
    assert done.status_code == 200
    assert len(done.context["codes"]) == services.RECOVERY_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200  # verified for this session


def test_login_with_the_app_code(client, coordinatore):
    device, _codes = _enrol(coordinatore)
    _password_login(client, "coordinatore")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("twofactor:verify"))
    response = client.post(reverse("twofactor:verify") + "?next=/admin/", {"token": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_login_with_a_recovery_code_once(client, coordinatore):
    _device, codes = _enrol(coordinatore)
    _password_login(client, "coordinatore")
    assert client.post(reverse("twofactor:verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()  # used up
    client.logout()
    _password_login(client, "coordinatore")
    assert client.post(reverse("twofactor:verify"), {"token": codes[0]}).status_code == 400


def test_wrong_codes_lock_the_second_step(client, coordinatore, settings):
    # Each wrong code doubles the wait (factor × 2^(n-1) s); a long factor keeps the test
    # independent of how fast this machine runs it.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 60
    device, _codes = _enrol(coordinatore)
    _password_login(client, "coordinatore")
    assert client.post(reverse("twofactor:verify"), {"token": "00000a"}).status_code == 400
    assert client.post(reverse("twofactor:verify"), {"token": "00000b"}).status_code == 429
    # Throttled: even the right code is not checked until the delay ends.
    response = client.post(reverse("twofactor:verify"), {"token": _code(device)})
    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_operators_are_offered_enrolment_but_not_forced(client, operatore_sesto):
    _password_login(client, "operatore_sesto")
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert reverse("twofactor:setup") in page.content.decode()


def test_an_operator_who_enrolled_must_give_a_code(client, operatore_sesto):
    device, _codes = _enrol(operatore_sesto)
    _password_login(client, "operatore_sesto")
    assert client.get(reverse("admin:index")).status_code == 302
    client.post(reverse("twofactor:verify"), {"token": _code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_verify_refuses_an_outside_next(client, coordinatore):
    device, _codes = _enrol(coordinatore)
    _password_login(client, "coordinatore")
    response = client.post(reverse("twofactor:verify") + "?next=//evil.com/", {"token": _code(device)})
    assert response["Location"] == reverse("admin:index")


def test_demo_totp_command_prints_a_working_code(settings, coordinatore, capsys):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_totp")
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user=coordinatore, confirmed=True)
    assert _code(device) in out or _code(device, -1) in out or time.time() % 30 < 1
