"""The client's own address: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from rls_iron.client_address import client_address, parse_networks


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.fixture
def trusted(settings):
    def trust(*items: str) -> None:
        settings.TRUSTED_PROXIES = parse_networks(list(items), setting="DJANGO_TRUSTED_PROXIES")

    return trust


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert settings.TRUSTED_PROXIES == ()  # the default: DJANGO_TRUSTED_PROXIES unset
    assert address("127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw(trusted):
    trusted("127.0.0.1")
    assert address("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert address("127.0.0.1") == "127.0.0.1"  # nothing forwarded: the proxy itself


def test_addresses_a_client_adds_in_front_are_not_believed(trusted):
    trusted("127.0.0.1", "10.0.0.0/8")
    # The client wrote "1.2.3.4"; nginx (10.0.0.5) and a local proxy appended what they saw.
    assert address("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.5") == "198.51.100.7"
    assert address("127.0.0.1", "not-an-address, 10.0.0.5") == "10.0.0.5"


def test_a_request_straight_from_an_untrusted_address_keeps_its_own(trusted):
    trusted("127.0.0.1")
    assert address("198.51.100.7", "127.0.0.1") == "198.51.100.7"


def test_ipv6_networks_are_understood(trusted):
    trusted("::1", "fd00::/8")
    assert address("::1", "2001:db8::1, fd00::2") == "2001:db8::1"


@pytest.mark.parametrize("value", ["localhost", "10.0.0.0/33", "127.0.0.1 10.0.0.1"])
def test_a_bad_trusted_proxy_setting_stops_the_site_with_a_clear_message(value):
    message = r"DJANGO_TRUSTED_PROXIES: .* e\.g\. 127\.0\.0\.1"
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_networks([value], setting="DJANGO_TRUSTED_PROXIES")
