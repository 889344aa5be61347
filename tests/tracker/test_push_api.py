"""Web push subscriptions over the API: the VAPID key, subscribing a browser, unsubscribing it (PRODUCT.md §4.5)."""

import base64
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tracker.models import PushSubscription
from tracker.reminders import push

from ..push_helpers import b64url

KEY_URL = "/api/v1/push/key/"
URL = "/api/v1/push-subscriptions/"
FCM = "https://fcm.googleapis.com/fcm/send/"


def browser_keys() -> dict:
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    raw = b"\x04" + point.x.to_bytes(32, "big") + point.y.to_bytes(32, "big")
    return {"p256dh": b64url(raw), "auth": b64url(os.urandom(16))}


def subscription(endpoint=FCM + "alice-phone", **keys) -> dict:
    return {"endpoint": endpoint, "keys": {**browser_keys(), **keys}}


@pytest.fixture
def key_file(settings, tmp_path):
    """A VAPID key file of this test's own, made on first use as in the embedded run."""
    settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE = "", tmp_path / "var" / "vapid-private-key.pem"
    push._signers.clear()
    yield settings.VAPID_KEY_FILE
    push._signers.clear()


def test_the_key_is_a_p256_point_a_browser_can_subscribe_with(alice_api, key_file):
    key = alice_api.get(KEY_URL).data["key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw).curve.name == "secp256r1"


def test_the_embedded_run_makes_its_key_pair_once_in_var_and_keeps_it_private(alice_api, key_file):
    first = alice_api.get(KEY_URL).data["key"]
    push._signers.clear()  # as a restarted process would
    assert alice_api.get(KEY_URL).data["key"] == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_key_from_the_environment_wins_over_the_file(alice_api, key_file, settings):
    private = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64url(private.private_numbers().private_value.to_bytes(32, "big"))
    numbers = private.public_key().public_numbers()
    expected = b64url(b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big"))
    assert alice_api.get(KEY_URL).data["key"] == expected
    assert not key_file.exists()


def test_without_a_key_push_is_off_and_the_api_says_so(alice_api, settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE = "", None
    response = alice_api.get(KEY_URL)
    assert response.status_code == 503
    assert "no VAPID key" in response.data["detail"]
    assert alice_api.post(URL, subscription(), format="json").status_code == 400


def test_the_key_and_subscriptions_need_credentials(api, db):
    assert api.get(KEY_URL).status_code == 401
    assert api.post(URL, subscription(), format="json").status_code == 401


def test_a_browser_subscribes_and_its_keys_are_stored(alice_api, alice):
    sent = subscription()
    response = alice_api.post(URL, sent, format="json")
    assert response.status_code == 201
    row = PushSubscription.objects.get(user=alice)
    assert (row.pk, row.endpoint) == (response.data["id"], sent["endpoint"])
    assert (row.p256dh, row.auth) == (sent["keys"]["p256dh"], sent["keys"]["auth"])


def test_the_same_endpoint_again_updates_its_one_row(alice_api, alice):
    first = alice_api.post(URL, subscription(), format="json").data["id"]
    again = subscription()
    response = alice_api.post(URL, again, format="json")
    assert (response.status_code, response.data["id"]) == (200, first)
    assert PushSubscription.objects.get().p256dh == again["keys"]["p256dh"]


def test_a_browser_someone_else_subscribed_before_now_pushes_only_to_the_new_person(alice_api, bob_api, alice, bob):
    same_browser = subscription()  # the browser hands back its one subscription, keys and all
    alice_api.post(URL, same_browser, format="json")
    bob_api.post(URL, same_browser, format="json")
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [bob.pk]


def test_an_endpoint_alone_cannot_take_another_persons_subscription(alice_api, bob_api, alice, bob):
    alice_api.post(URL, subscription(), format="json")
    response = bob_api.post(URL, subscription(), format="json")  # the endpoint, without the browser's secret
    assert response.status_code == 400
    assert "another account" in str(response.data["endpoint"])
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [alice.pk]


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        (subscription("https://evil.example/push/1"), "endpoint"),
        (subscription("http://169.254.169.254/latest/meta-data/"), "endpoint"),
        (subscription("http://fcm.googleapis.com/fcm/send/x"), "endpoint"),  # the origin is https
        (subscription("https://fcm.googleapis.com:8443/fcm/send/x"), "endpoint"),
        (subscription("https://fcm.googleapis.com.evil.example/x"), "endpoint"),
        (subscription("https://user@fcm.googleapis.com/x"), "endpoint"),
        (subscription("https://notify.windows.com.evil.example/w"), "endpoint"),
        (subscription(FCM + "x" * 1000), "endpoint"),
        (subscription(p256dh=b64url(b"\x04" + bytes(63))), "p256dh"),  # 64 bytes
        (subscription(p256dh=b64url(b"\x04" + bytes(64))), "p256dh"),  # not on the curve
        (subscription(p256dh="not base64!"), "p256dh"),
        (subscription(auth=b64url(os.urandom(15))), "auth"),
        (subscription(auth="!!!"), "auth"),
        ({"endpoint": FCM + "x"}, "keys"),
        ({"keys": browser_keys()}, "endpoint"),
    ],
)
def test_a_bad_subscription_answers_400_and_stores_nothing(alice_api, sent, field):
    response = alice_api.post(URL, sent, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM + "abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGx",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ],
)
def test_the_known_browser_push_services_are_accepted(alice_api, endpoint):
    assert alice_api.post(URL, subscription(endpoint), format="json").status_code == 201


def test_a_person_unsubscribes_their_own_browser(alice_api):
    pk = alice_api.post(URL, subscription(), format="json").data["id"]
    assert alice_api.delete(f"{URL}{pk}/").status_code == 204
    assert not PushSubscription.objects.exists()


def test_someone_elses_subscription_is_a_404_and_stays(alice_api, bob_api):
    pk = alice_api.post(URL, subscription(), format="json").data["id"]
    assert bob_api.delete(f"{URL}{pk}/").status_code == 404
    assert PushSubscription.objects.filter(pk=pk).exists()
