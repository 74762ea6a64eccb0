"""The client address: REMOTE_ADDR unless a trusted proxy forwarded the request."""

from __future__ import annotations

import pytest

from frontiers_de.security.client import (
    client_address,
    client_key,
    parse_address,
    parse_trusted_proxies,
)

PROXIES = parse_trusted_proxies("10.0.0.1, 10.1.0.0/16 fd00::/8")


def env(remote: str | None, forwarded: str | None = None) -> dict[str, str]:
    out = {}
    if remote is not None:
        out["REMOTE_ADDR"] = remote
    if forwarded is not None:
        out["HTTP_X_FORWARDED_FOR"] = forwarded
    return out


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(env("203.0.113.7", "198.51.100.1"), ()) == "203.0.113.7"


def test_a_client_that_is_not_a_trusted_proxy_cannot_name_another_address():
    assert client_address(env("203.0.113.7", "198.51.100.1"), PROXIES) == "203.0.113.7"


def test_through_a_trusted_proxy_the_address_it_added_is_the_client():
    assert client_address(env("10.0.0.1", "198.51.100.9"), PROXIES) == "198.51.100.9"


def test_addresses_the_client_made_up_left_of_the_real_one_are_not_believed():
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    forwarded = "1.2.3.4, 198.51.100.9"
    assert client_address(env("10.0.0.1", forwarded), PROXIES) == "198.51.100.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    forwarded = "1.2.3.4, 198.51.100.9, 10.1.4.4, 10.1.7.7"
    assert client_address(env("10.0.0.1", forwarded), PROXIES) == "198.51.100.9"


def test_all_hops_trusted_gives_the_leftmost():
    assert client_address(env("10.0.0.1", "10.1.0.5, 10.1.0.6"), PROXIES) == "10.1.0.5"


@pytest.mark.parametrize(
    "forwarded",
    ["", " , ,", "not-an-address", "198.51.100.9, <script>", "unknown", "1.2.3.4.5", "x" * 5000],
)
def test_malformed_forwarded_headers_fall_back_to_the_proxy(forwarded):
    # A trusted proxy always writes a real address; anything else is not believed, and
    # the request is counted against the proxy's own address rather than a made-up one.
    assert client_address(env("10.0.0.1", forwarded), PROXIES) == "10.0.0.1"


def test_ipv6_forms_and_mapped_ipv4():
    assert client_address(env("::ffff:192.0.2.5"), ()) == "192.0.2.5"
    assert client_address(env("fd00::1", "[2001:db8::5]:4711"), PROXIES) == "2001:db8::5"
    assert client_address(env("10.0.0.1", "192.0.2.8:5555"), PROXIES) == "192.0.2.8"
    assert parse_address("fe80::1%eth0") is not None


@pytest.mark.parametrize("remote", [None, "", "unix:/run/socket", "garbage"])
def test_unknown_connecting_address_is_empty(remote):
    assert client_address(env(remote, "198.51.100.9"), PROXIES) == ""


def test_too_many_hops_are_not_all_read():
    forwarded = ", ".join(["10.1.0.1"] * 100)
    assert client_address(env("10.0.0.1", forwarded), PROXIES) == "10.1.0.1"


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example.org", "10.0.0.0/33", "*"])
def test_bad_trusted_proxy_settings_are_refused_by_name(value):
    with pytest.raises(ValueError, match=r"fde\.trusted_proxies"):
        parse_trusted_proxies(value)


def test_empty_trusted_proxy_setting_trusts_nobody():
    assert parse_trusted_proxies("") == ()
    assert parse_trusted_proxies(None) == ()


def test_client_key_groups_ipv6_by_64_network():
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("192.0.2.1") == "192.0.2.1"
    assert client_key("") == "unknown"
    assert client_key("nonsense") == "unknown"
