from sightline.mail.addresses import (
    ReplyToken,
    parse_reply_address,
    reply_address,
    reply_mac,
    verify,
)


def test_reply_address_round_trip():
    address = reply_address("CCTV-0007", "s3cret", "replies.example.org")
    assert address == f"foi+cctv-0007-{reply_mac('CCTV-0007', 's3cret')}@replies.example.org"
    token = parse_reply_address(address)
    assert token == ReplyToken("CCTV-0007", reply_mac("CCTV-0007", "s3cret"))
    assert verify(token, "s3cret")
    assert not verify(token, "another campaign's secret")


def test_case_changes_by_mail_systems_are_tolerated():
    address = reply_address("CCTV2-0010", "k", "r.example.org").upper()
    token = parse_reply_address(f"<{address}>")
    assert token is not None and token.reference == "CCTV2-0010" and verify(token, "k")


def test_other_addresses_are_not_reply_addresses():
    assert parse_reply_address("foi@camden.gov.uk") is None
    assert parse_reply_address("foi+cctv-0007@replies.example.org") is None  # no MAC
    assert parse_reply_address("foi+cctv-0007-xyz0000000@replies.example.org") is None


def test_default_domain_when_none_is_configured():
    assert reply_address("A-0001", "k", "").endswith("@sightline.localhost")
