"""The fingerprint rules against the real example strings in ../shared/data/banners-dev.jsonl."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sightline.census.fingerprints import RuleError, load_rules, parse_rules
from sightline.census.matcher import Matcher
from sightline.census.prefilter import needles_for
from sightline.census.records import ScanRecord, Service, add_raw_reply

# example fields that are not rule fields: where the census files them
_RAW_FIELDS = {"udp.payload", "udp.probe", "udp.payload_text"}


def service_for(example: dict[str, Any]) -> Service:
    """The scanned service a development example describes."""
    field, value = example["field"], example["value"]
    if "redacted" in example["notes"]:
        # the source hid part of a device id with X; a real device sends hex digits there
        value = re.sub(r"X", "0", value)
    fields: dict[str, str] = {}
    if field == "rtsp.raw":
        add_raw_reply(fields, value)
    elif field == "tcp.banner_hex":
        fields["banner.raw"] = bytes.fromhex(value).decode("latin-1")
    elif field in _RAW_FIELDS:
        fields["banner.raw"] = value
    elif field == "shodan.product":
        fields["scanner.product"] = value
    else:
        fields[field] = value
    return Service(example["port"], fields)


def weak_alone(example: dict[str, Any]) -> bool:
    """The source or research says the string is weak on its own."""
    notes = example["notes"]
    return "WEAK" in notes or "not alone" in notes


@pytest.fixture(scope="module", params=["hyperscan", "re"])
def matcher(request: pytest.FixtureRequest) -> Matcher:
    return Matcher(load_rules(), engine=request.param)


def test_every_hikvision_and_dahua_example_is_recognised(
    dev_banners: list[dict[str, Any]], matcher: Matcher
) -> None:
    positives = [b for b in dev_banners if b["expected_vendor"] in ("hikvision", "dahua")]
    assert len(positives) == 30
    missed = []
    for example in positives:
        fired = matcher.fire(service_for(example))
        if example["expected_vendor"] not in {rule.vendor for rule in fired}:
            missed.append((example["field"], example["value"][:60]))
    assert missed == []


def test_examples_are_attributed_unless_the_source_calls_them_weak(
    dev_banners: list[dict[str, Any]], matcher: Matcher
) -> None:
    wrong = []
    weak = []
    for example in dev_banners:
        if example["expected_vendor"] == "other":
            continue
        record = ScanRecord("192.0.2.1", [service_for(example)], 1)
        verdict = matcher.classify(record)
        if weak_alone(example):
            weak.append(example["value"][:40])
            assert verdict.vendor is None
            assert verdict.signals  # recognised, reported, but not counted on its own
        elif verdict.vendor != example["expected_vendor"]:
            wrong.append((example["value"][:60], verdict.vendor))
    assert wrong == []
    assert len(weak) == 2


def test_no_negative_example_fires_any_rule(
    dev_banners: list[dict[str, Any]], matcher: Matcher
) -> None:
    negatives = [b for b in dev_banners if b["expected_vendor"] == "other"]
    assert len(negatives) == 43
    fired = {
        example["value"][:60]: [rule.id for rule in matcher.fire(service_for(example))]
        for example in negatives
    }
    assert {value: ids for value, ids in fired.items() if ids} == {}


def test_two_weak_signals_together_attribute_the_vendor(matcher: Matcher) -> None:
    record = ScanRecord(
        "192.0.2.1",
        [
            Service(80, {"http.server": "Webs"}),
            Service(
                8080,
                {"http.www_authenticate": 'Digest realm="fe12f37bd0000abccbbd35f1", domain="::"'},
            ),
        ],
        1,
    )
    verdict = matcher.classify(record)
    assert verdict.vendor == "hikvision"
    assert verdict.device_type == "dvr"
    assert verdict.signals == ("hikvision-http-server-webs-bare", "hikvision-http-realm-device-id")


def test_port_alone_never_identifies_a_vendor(matcher: Matcher) -> None:
    for port in (8000, 37777, 554, 80):
        verdict = matcher.classify(ScanRecord("192.0.2.1", [Service(port, {})], 1))
        assert (verdict.vendor, verdict.signals) == (None, ())


def test_lorex_is_dahua_family_with_its_brand(matcher: Matcher) -> None:
    realm = 'Digest realm="Login to ND011811000000", nonce="ec3682ef24b2cd9cedefe5cc26110000"'
    verdict = matcher.classify(
        ScanRecord("192.0.2.1", [Service(80, {"http.www_authenticate": realm})], 1)
    )
    assert (verdict.vendor, verdict.brand, verdict.device_type) == ("dahua", "Lorex", "dvr")


def test_engines_agree_on_all_examples(dev_banners: list[dict[str, Any]]) -> None:
    rules = load_rules()
    fast, slow = Matcher(rules, "hyperscan"), Matcher(rules, "re")
    for example in dev_banners:
        service = service_for(example)
        assert [r.id for r in fast.fire(service)] == [r.id for r in slow.fire(service)]


def test_needles_cover_every_example_a_pattern_rule_matches(
    dev_banners: list[dict[str, Any]],
) -> None:
    # the Shodan prefilter skips lines without a needle: a rule must never match without one
    matcher = Matcher(load_rules(), "re")
    for example in dev_banners:
        for rule in matcher.fire(service_for(example)):
            if rule.match == "regex":
                text = service_for(example).fields
                joined = " ".join(text.values())
                if rule.caseless:  # a case-sensitive rule's needles are sought as written
                    joined = joined.lower()
                assert any(n in joined for n in rule.needles), (rule.id, example["value"][:40])


def test_every_rule_cites_a_source_and_every_brand_a_vendor() -> None:
    rules = load_rules()
    assert len(rules.rules) == 69
    assert all(rule.source for rule in rules.rules)
    assert all(extractor.source for extractor in rules.extractors)
    assert {name: b.vendor for name, b in rules.brands.items()} == {
        "Hikvision": "hikvision",
        "EZVIZ": "hikvision",
        "HiWatch": "hikvision",
        "HiLook": "hikvision",
        "HIKMICRO": "hikvision",
        "Dahua": "dahua",
        "Imou": "dahua",
        "Lorex": "dahua",
        "Amcrest": "dahua",
        "truVision": "hikvision",
        "LUMA": "hikvision",
        "ALIBI": "hikvision",
    }
    assert rules.brands["Lorex"].until == "2022-11-23"
    assert needles_for(rules) is not None


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "x", "vendor": "axis"}, "rule x: vendor must be one of hikvision, dahua"),
        (
            {"id": "x", "vendor": "dahua", "field": "http.port", "match": "exact", "pattern": "a"},
            "rule x: unknown field 'http.port'",
        ),
        (
            {
                "id": "x",
                "vendor": "dahua",
                "field": "http.server",
                "match": "exact",
                "pattern": "a",
                "confidence": 0.9,
            },
            "rule x: every rule cites its public source",
        ),
        (
            {
                "id": "x",
                "vendor": "dahua",
                "field": "http.server",
                "match": "regex",
                "pattern": "a",
                "confidence": 2,
                "source": "s",
            },
            "rule x: confidence must be a number in (0, 1]",
        ),
        (
            {
                "id": "x",
                "vendor": "dahua",
                "field": "http.server",
                "match": "exact",
                "pattern": "a",
                "case": "sensitive",
                "confidence": 0.9,
                "source": "s",
            },
            "rule x: exact values are always compared without regard to case",
        ),
        (
            {
                "id": "x",
                "vendor": "dahua",
                "field": "http.server",
                "match": "literal",
                "pattern": "a",
                "case": "upper",
                "confidence": 0.9,
                "source": "s",
            },
            "rule x: case must be insensitive or sensitive",
        ),
    ],
)
def test_invalid_rules_are_refused_with_the_reason(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules({"rule": [rule]})
    assert str(caught.value) == message


def test_another_rule_file_can_be_loaded(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\nid = "t"\nvendor = "dahua"\nfield = "http.title"\nmatch = "exact"\n'
        'pattern = "Test"\nconfidence = 0.9\nsource = "a test"\n',
        "utf-8",
    )
    rules = load_rules(path)
    assert [rule.id for rule in rules.rules] == ["t"]


@pytest.mark.parametrize(
    ("server", "device_type"),
    [
        ("Hikvision-Webs", "camera"),
        ("DNVRS-Webs", "nvr"),
        ("DVRDVS-Webs", "dvr"),
        ("App-webs/", "camera"),
    ],
)
def test_server_headers_name_the_device_type(
    matcher: Matcher, server: str, device_type: str
) -> None:
    verdict = matcher.classify(ScanRecord("192.0.2.1", [Service(80, {"http.server": server})], 1))
    assert (verdict.vendor, verdict.device_type) == ("hikvision", device_type)


@pytest.mark.parametrize(
    ("field", "value", "rule_id"),
    [
        ("http.server", "hikvision-webs ", "hikvision-http-server-webs"),
        ("http.www_authenticate", 'BASIC REALM="HIKVISION"', "hikvision-realm"),
        ("rtsp.www_authenticate", "Basic realm=hikvision", "hikvision-realm"),
        (
            "http.www_authenticate",
            'Digest realm="Login to 4K01FD2PAJ6E3FF", qop="auth"',
            "dahua-login-to-serial-realm",
        ),
        ("tls.subject_dn", "/C=CN/O=HIKVISION/CN=192.0.2.7", "hikvision-tls-organisation"),
        ("http.favicon.md5", "89B932FCC47CF4CA3FAADB0CFDEF89CF", "hikvision-favicon-md5"),
        ("scanner.product", "Lorex IP camera rtspd", "lorex-imou-scanner-product"),
        ("scanner.product", "EZVIZ camera", "ezviz-scanner-product"),
        # literal and pattern rules compare without regard to case, as exact ones do
        ("http.body", '<LI ID="DSS-HELP">', "dahua-http-body-dss-help"),
        ("http.body", "COPYRIGHT HIKVISION DIGITAL TECHNOLOGY", "hikvision-http-body-company"),
        ("http.body", "<P>AMCREST TECHNOLOGIES</P> ldapuser", "amcrest-http-body"),
        ("tls.issuer_dn", "cn=www.hikvision.com, o=hikvision", "hikvision-tls-common-name"),
        # a certificate name with no-break spaces, or with them printed as escaped bytes
        (
            "tls.issuer_dn",
            "O=Zhejiang\u00a0Dahua\u00a0Technology Co.,Ltd.",
            "dahua-tls-organisation",
        ),
        ("tls.issuer_dn", "O = ZheJiang Dahua Technology CO.,LTD.", "dahua-tls-organisation"),
        (
            "tls.issuer_dn",
            "Org=x, CN=Dahua\\xC2\\xA0Device\\xC2\\xA0NVR\\xC2\\xA0CA",
            "dahua-tls-device-ca",
        ),
        # a realm is read from every challenge of the value, HTTP or RTSP
        (
            "rtsp.www_authenticate",
            'Basic realm="/", Digest realm="fe12f37bd0000abccbbd35f1", domain="::"',
            "hikvision-http-realm-device-id",
        ),
        (
            "rtsp.www_authenticate",
            'Digest realm="Login to ND_0118-11.00"',
            "dahua-login-to-serial-realm",
        ),
    ],
)
def test_case_blanks_and_quoting_do_not_hide_a_signal(
    matcher: Matcher, field: str, value: str, rule_id: str
) -> None:
    fired = [rule.id for rule in matcher.fire(Service(80, {field: value}))]
    assert rule_id in fired


@pytest.mark.parametrize(
    ("field", "value"),
    [
        # nmap's header shapes are matched byte for byte: in ordinary case they are anyone's
        (
            "http.headers_raw",
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 9\r\nContent-Type: text/html",
        ),
        (
            "http.headers_raw",
            "http/1.0 200 ok\r\ndate: x gmt\r\nserver: webserver\r\ncontent-length: 9\r\ncontent-type: text/html\r\nconnection: close",
        ),
        # binary replies written as hex keep their bytes' case
        ("banner.raw", "\x00\x00\x01\x01@\n\x00\x08\x80\x00\x82\x00l\xb8"),
    ],
)
def test_case_sensitive_rules_keep_case(matcher: Matcher, field: str, value: str) -> None:
    assert [rule.id for rule in matcher.fire(Service(80, {field: value}))] == []


def test_oem_brands_are_named_with_their_parent(matcher: Matcher) -> None:
    for mmh3, brand in (
        ("1782271534", "truVision"),
        ("-1351901211", "LUMA"),
        ("1876585825", "ALIBI"),
    ):
        record = ScanRecord("192.0.2.1", [Service(80, {"http.favicon.mmh3": mmh3})], 1)
        verdict = matcher.classify(record)
        assert (verdict.vendor, verdict.brand, verdict.device_type) == ("hikvision", brand, "nvr")
    record = ScanRecord(
        "192.0.2.1", [Service(80, {"scanner.product": "Amcrest IP camera http interface"})], 1
    )
    verdict = matcher.classify(record)
    assert (verdict.vendor, verdict.brand) == ("dahua", "Amcrest")
