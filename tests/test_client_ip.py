from django.test import RequestFactory

from backcare.accounts.client_ip import client_ip


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.NUM_PROXIES = 0

    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_counts_not_what_the_client_sent(settings):
    settings.NUM_PROXIES = 1

    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_behind_a_proxy_without_the_header_the_socket_address_counts(settings):
    settings.NUM_PROXIES = 1

    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"
