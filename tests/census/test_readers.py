"""Every reader on a realistic sample of its format (field names as each tool writes them)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mmh3
import pytest

from sightline.census.inputs import Problem
from sightline.census.readers import UnknownFormat, detect_format, read_records
from sightline.census.records import ScanRecord

ICON = b"\x00\x00\x01\x00\x01\x00\x10\x10" + bytes(range(200))  # some .ico-like bytes


def shodan_http_banner() -> dict[str, Any]:
    """A Shodan banner as `shodan download` writes it (one line of the .json.gz)."""
    head = (
        "HTTP/1.1 401 Unauthorized\r\nDate: Tue, 01 Dec 2020 10:00:00 GMT\r\n"
        "Server: App-webs/\r\nContent-Length: 178\r\nContent-Type: text/html\r\n"
        'WWW-Authenticate: Digest qop="auth", realm="IP Camera(C6362)", nonce="4e5445"\r\n\r\n'
    )
    return {
        "hash": -1286431040,
        "asn": "AS2856",
        "isp": "British Telecommunications PLC",
        "org": "BT",
        "hostnames": ["host86-1-2-3.range86-1.btcentralplus.com"],
        "domains": ["btcentralplus.com"],
        "location": {
            "city": "Leeds",
            "region_code": "ENG",
            "area_code": None,
            "longitude": -1.54785,
            "latitude": 53.79648,
            "country_code": "GB",
            "country_name": "United Kingdom",
        },
        "timestamp": "2020-12-01T10:00:00.123456",
        "transport": "tcp",
        "ip": 1442906883,
        "ip_str": "86.1.2.3",
        "port": 8080,
        "data": head,
        "product": "Hikvision IP Camera",
        "http": {
            "status": 401,
            "title": "Document Error: Unauthorized",
            "server": "App-webs/",
            "html": "<html><head><title>Document Error: Unauthorized</title></head></html>",
            "html_hash": -1582103738,
            "robots": None,
            "sitemap": None,
            "location": "/",
            "redirects": [],
            "favicon": {
                "hash": mmh3.hash(base64.encodebytes(ICON)),
                "data": base64.encodebytes(ICON).decode(),
                "location": "http://86.1.2.3:8080/favicon.ico",
            },
        },
        "ssl": {
            "cert": {
                "subject": {"CN": "192.0.2.10", "C": "CN"},
                "issuer": {"CN": "NVR", "C": "CN", "O": "ZheJiang Dahua Technology CO.,LTD."},
                "fingerprint": {"sha1": "00" * 20},
            },
            "versions": ["TLSv1.2"],
        },
        "_shodan": {"id": "5f2a1c", "module": "https-simple-new", "crawler": "c0ffee", "ptr": True},
    }


def only_records(items: Any) -> list[ScanRecord]:
    return [item for item in items if isinstance(item, ScanRecord)]


def test_shodan_banner_fields(write_lines: Callable[..., Path]) -> None:
    path = write_lines("shodan.json.gz", [shodan_http_banner()], gz=True)
    fmt, items = read_records(path)
    (record,) = list(items)
    assert fmt == "shodan"
    assert isinstance(record, ScanRecord)
    assert (record.ip, record.country, record.region, record.date) == (
        "86.1.2.3",
        "GB",
        "ENG",
        "2020-12-01",
    )
    (service,) = record.services
    assert service.port == 8080
    assert service.fields == {
        "http.server": "App-webs/",
        "http.title": "Document Error: Unauthorized",
        "http.body": "<html><head><title>Document Error: Unauthorized</title></head></html>",
        "http.favicon.mmh3": str(mmh3.hash(base64.encodebytes(ICON))),
        "http.favicon.md5": hashlib.md5(ICON).hexdigest(),
        "http.headers_raw": shodan_http_banner()["data"],
        "http.www_authenticate": 'Digest qop="auth", realm="IP Camera(C6362)", nonce="4e5445"',
        "scanner.product": "Hikvision IP Camera",
        "tls.subject_dn": "CN=192.0.2.10, C=CN",
        "tls.issuer_dn": "CN=NVR, C=CN, O=ZheJiang Dahua Technology CO.,LTD.",
    }


def test_shodan_rtsp_and_telnet_banners(write_lines: Callable[..., Path]) -> None:
    rtsp = {
        "ip_str": "192.0.2.7",
        "port": 554,
        "transport": "tcp",
        "timestamp": "2021-03-04T05:06:07.000000",
        "_shodan": {"module": "rtsp-tcp"},
        "data": "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Dahua Rtsp Server\r\n"
        'WWW-Authenticate: Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="203c8d27"\r\n\r\n',
    }
    telnet = {
        "ip_str": "192.0.2.8",
        "port": 23,
        "transport": "tcp",
        "_shodan": {"module": "telnet"},
        "data": "192.0.0.64 login: ",
        "timestamp": "2021-03-04T05:06:07.000000",
    }
    path = write_lines("shodan.json", [rtsp, telnet])
    first, second = only_records(read_records(path)[1])
    assert first.services[0].fields == {
        "rtsp.server": "Dahua Rtsp Server",
        "rtsp.www_authenticate": 'Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="203c8d27"',
    }
    assert second.services[0].fields == {"telnet.banner": "192.0.0.64 login: "}


def censys_host(headers: Any) -> dict[str, Any]:
    """A Censys host record (Search 2.0 host / BigQuery export shape)."""
    return {
        "ip": "198.51.100.20",
        "services": [
            {
                "port": 80,
                "service_name": "HTTP",
                "extended_service_name": "HTTP",
                "transport_protocol": "TCP",
                "banner": "HTTP/1.1 200 OK\r\nServer: Hikvision-Webs\r\nContent-Type: text/html",
                "http": {
                    "request": {"method": "GET", "uri": "http://198.51.100.20/"},
                    "response": {
                        "protocol": "HTTP/1.1",
                        "status_code": 200,
                        "status_reason": "OK",
                        "headers": headers,
                        "html_title": "WEB SERVICE",
                        "body": "<html><head><title>WEB SERVICE</title></head></html>",
                        "favicons": [
                            {
                                "name": "http://198.51.100.20/favicon.ico",
                                "size": 1406,
                                "md5_hash": "A437E84D20C9CF7442FFFAB49E0F07E7",
                                "shodan_hash": 1653394551,
                            }
                        ],
                    },
                },
            },
            {
                "port": 554,
                "service_name": "RTSP",
                "transport_protocol": "TCP",
                "banner": "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"
                'WWW-Authenticate: Digest realm="Hikvision", nonce="0123"\r\n\r\n',
            },
            {
                "port": 443,
                "service_name": "HTTP",
                "tls": {
                    "certificates": {
                        "leaf_data": {
                            "subject_dn": "C=CN, CN=198.51.100.20",
                            "issuer_dn": "C=CN, ST=Zhejiang, L=Hangzhou, "
                            "O=ZheJiang Dahua Technology CO.,LTD., OU=NVR, CN=NVR",
                        }
                    }
                },
            },
        ],
        "location": {
            "continent": "Europe",
            "country": "United Kingdom",
            "country_code": "GB",
            "province": "Scotland",
            "city": "Glasgow",
        },
        "autonomous_system": {"asn": 5089, "name": "NTL"},
        "last_updated_at": "2022-05-06T07:08:09.000Z",
    }


@pytest.mark.parametrize(
    "headers",
    [
        {"Server": ["Hikvision-Webs"], "WWW-Authenticate": ['Digest realm="x"']},
        {
            "Server": {"headers": ["Hikvision-Webs"]},
            "WWW-Authenticate": {"headers": ['Digest realm="x"']},
        },
        [
            {"key": "Server", "value": {"headers": ["Hikvision-Webs"]}},
            {"key": "WWW-Authenticate", "value": {"headers": ['Digest realm="x"']}},
        ],
    ],
    ids=["list-values", "repeated-headers", "bigquery-key-value"],
)
def test_censys_host_services(write_lines: Callable[..., Path], headers: Any) -> None:
    path = write_lines("censys.jsonl", [censys_host(headers)])
    fmt, items = read_records(path)
    (record,) = only_records(items)
    assert fmt == "censys"
    assert (record.ip, record.country, record.region, record.date) == (
        "198.51.100.20",
        "GB",
        "Scotland",
        "2022-05-06",
    )
    http, rtsp, tls = record.services
    assert http.port == 80
    assert http.fields == {
        "http.server": "Hikvision-Webs",
        "http.www_authenticate": 'Digest realm="x"',
        "http.title": "WEB SERVICE",
        "http.body": "<html><head><title>WEB SERVICE</title></head></html>",
        "http.favicon.md5": "a437e84d20c9cf7442fffab49e0f07e7",
        "http.favicon.mmh3": "1653394551",
        "http.headers_raw": "HTTP/1.1 200 OK\r\nServer: Hikvision-Webs\r\nContent-Type: text/html",
    }
    assert rtsp.fields == {"rtsp.www_authenticate": 'Digest realm="Hikvision", nonce="0123"'}
    assert tls.fields["tls.issuer_dn"].endswith("OU=NVR, CN=NVR")


def zgrab2_http(host: str, body: str) -> dict[str, Any]:
    """ZGrab2 `http` module output for one target."""
    return {
        "ip": "192.0.2.30",
        "data": {
            "http": {
                "status": "success",
                "protocol": "http",
                "result": {
                    "response": {
                        "status_line": "401 Unauthorized",
                        "status_code": 401,
                        "protocol": {"name": "HTTP/1.1", "major": 1, "minor": 1},
                        "headers": {
                            "server": ["DNVRS-Webs"],
                            "www_authenticate": [
                                'Digest realm="fe12f37bd0000abccbbd35f1", domain="::", qop="auth"'
                            ],
                            "content_type": ["application/xml"],
                        },
                        "body": body,
                        "body_sha256": "00" * 32,
                        "content_length": len(body),
                        "request": {
                            "url": {
                                "scheme": "https",
                                "host": host,
                                "path": "/ISAPI/System/status",
                            },
                            "method": "GET",
                            "host": host,
                            "tls_log": {
                                "handshake_log": {
                                    "server_certificates": {
                                        "certificate": {
                                            "raw": "MIIB",
                                            "parsed": {
                                                "subject_dn": "C=CN, O=Hikvision, CN=192.0.2.30",
                                                "issuer_dn": "C=CN, O=Hikvision, CN=192.0.2.30",
                                            },
                                        }
                                    }
                                }
                            },
                        },
                    }
                },
                "timestamp": "2023-07-08T09:10:11+01:00",
            }
        },
    }


def test_zgrab2_http_module(write_lines: Callable[..., Path]) -> None:
    body = '<?xml version="1.0" ?><title>Status &amp; info</title>'
    path = write_lines(
        "zgrab2.json", [zgrab2_http("192.0.2.30:8443", body), zgrab2_http("192.0.2.31", body)]
    )
    fmt, items = read_records(path)
    first, second = only_records(items)
    assert fmt == "zgrab2"
    assert (first.ip, first.date) == ("192.0.2.30", "2023-07-08")
    assert first.services[0].port == 8443
    assert second.services[0].port == 443  # the scheme's port when the URL names none
    assert first.services[0].fields == {
        "http.server": "DNVRS-Webs",
        "http.www_authenticate": 'Digest realm="fe12f37bd0000abccbbd35f1", domain="::", qop="auth"',
        "http.body": body,
        "http.title": "Status & info",
        "tls.subject_dn": "C=CN, O=Hikvision, CN=192.0.2.30",
        "tls.issuer_dn": "C=CN, O=Hikvision, CN=192.0.2.30",
    }


MASSCAN_NEW = """[
{   "ip": "192.0.2.40",   "timestamp": "1606816800", "ports": [ {"port": 80, "proto": "tcp", "status": "open", "reason": "syn-ack", "ttl": 52} ] }
,
{   "ip": "192.0.2.40",   "timestamp": "1606816801", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "http.server", "banner": "Hikvision-Webs"} } ] }
,
{   "ip": "192.0.2.41",   "timestamp": "1606816802", "ports": [ {"port": 80, "proto": "tcp", "service": {"name": "http", "banner": "HTTP/1.0 200 OK\\u000d\\u000aServer: uc-httpd 1.0.0\\u000d\\u000a\\u000d\\u000a"} } ] }
]
"""

MASSCAN_OLD = """[
{   "ip": "192.0.2.42",   "timestamp": "1606816803", "ports": [ {"port": 23, "proto": "tcp", "service": {"name": "telnet", "banner": "192.0.0.64 login:"} } ] },
{   "ip": "192.0.2.43",   "timestamp": "1606816804", "ports": [ {"port": 443, "proto": "tcp", "service": {"name": "title", "banner": "WEB SERVICE"} } ] }
]
"""


def test_masscan_json_both_comma_styles(tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    new.write_text(MASSCAN_NEW, "utf-8")
    old = tmp_path / "old.json"
    old.write_text(MASSCAN_OLD, "utf-8")
    fmt, items = read_records(new)
    records = list(items)
    assert fmt == "masscan"
    assert [(r.ip, r.line, r.date) for r in records] == [  # type: ignore[union-attr]
        ("192.0.2.40", 2, "2020-12-01"),
        ("192.0.2.40", 4, "2020-12-01"),
        ("192.0.2.41", 6, "2020-12-01"),
    ]
    assert [r.services[0].fields for r in records] == [  # type: ignore[union-attr]
        {},
        {"http.server": "Hikvision-Webs"},
        {
            "http.headers_raw": "HTTP/1.0 200 OK\r\nServer: uc-httpd 1.0.0",
            "http.server": "uc-httpd 1.0.0",
        },
    ]
    fmt, items = read_records(old)
    assert fmt == "masscan"
    assert [r.services[0].fields for r in items] == [  # type: ignore[union-attr]
        {"telnet.banner": "192.0.0.64 login:"},
        {"http.title": "WEB SERVICE"},
    ]


NMAP_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<nmaprun scanner="nmap" args="nmap -sV -oX scan.xml 192.0.2.0/24" start="1606816800" startstr="Tue Dec  1 10:00:00 2020" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>
<verbose level="0"/>
<debugging level="0"/>
<host starttime="1609459200" endtime="1609459260"><status state="up" reason="syn-ack" reason_ttl="0"/>
<address addr="192.0.2.50" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="http" product="Hikvision camera httpd" method="probed" conf="10"/><script id="http-server-header" output="Hikvision-Webs"><elem>Hikvision-Webs</elem>
</script><script id="http-title" output="Site doesn&apos;t have a title (text/html)."><elem key="title">Login</elem>
</script><script id="http-favicon" output="Unknown favicon MD5: 89B932FCC47CF4CA3FAADB0CFDEF89CF"/></port>
<port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="https" tunnel="ssl" method="probed" conf="10"/><script id="ssl-cert" output="Subject: commonName=NVR"><table key="subject">
<elem key="commonName">NVR</elem>
<elem key="organizationName">ZheJiang Dahua Technology CO.,LTD.</elem>
</table>
<table key="issuer">
<elem key="commonName">NVR</elem>
<elem key="countryName">CN</elem>
</table>
</script></port>
<port protocol="tcp" portid="8000"><state state="closed" reason="reset" reason_ttl="0"/><service name="http-alt" method="table" conf="3"/></port>
</ports>
<times srtt="1000" rttvar="1000" to="100000"/>
</host>
<host starttime="1609459300" endtime="1609459360"><status state="up" reason="syn-ack" reason_ttl="0"/>
<address addr="192.0.2.51" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="23"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="telnet" method="probed" conf="10"/><script id="banner" output="192.0.0.64 login:"/></port>
</ports>
</host>
<runstats><finished time="1609459400" timestr="Fri Jan  1 00:03:20 2021" elapsed="600.00" summary="Nmap done" exit="success"/><hosts up="2" down="254" total="256"/>
</runstats>
</nmaprun>
"""


def test_nmap_xml_hosts(tmp_path: Path) -> None:
    path = tmp_path / "scan.xml.gz"
    path.write_bytes(gzip.compress(NMAP_XML.encode()))
    fmt, items = read_records(path)
    first, second = list(items)
    assert fmt == "nmap"
    assert isinstance(first, ScanRecord) and isinstance(second, ScanRecord)
    assert (first.ip, first.line, first.date) == ("192.0.2.50", 8, "2021-01-01")
    assert [s.port for s in first.services] == [80, 443]  # the closed port is not a service
    assert first.services[0].fields == {
        "scanner.product": "Hikvision camera httpd",
        "http.server": "Hikvision-Webs",
        "http.title": "Login",
        "http.favicon.md5": "89b932fcc47cf4ca3faadb0cfdef89cf",
    }
    assert first.services[1].fields == {
        "tls.subject_dn": "CN=NVR, O=ZheJiang Dahua Technology CO.,LTD.",
        "tls.issuer_dn": "CN=NVR, C=CN",
    }
    assert (second.ip, second.line) == ("192.0.2.51", 28)
    assert second.services[0].fields == {"telnet.banner": "192.0.0.64 login:"}


def test_nmap_refuses_entity_expansion(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE nmaprun [<!ENTITY a "aaaa">]>\n<nmaprun>&a;</nmaprun>\n'
    )
    items = list(read_records(path, "nmap")[1])
    assert items == [
        Problem(str(path), 2, "refused XML: it declares entities or refers to outside files")
    ]


def test_auto_detection_names_each_format(tmp_path: Path, write_lines: Callable[..., Path]) -> None:
    masscan = tmp_path / "m.json"
    masscan.write_text(MASSCAN_NEW, "utf-8")
    nmap = tmp_path / "n.xml"
    nmap.write_text(NMAP_XML, "utf-8")
    files = {
        "shodan": write_lines("s.json.gz", [shodan_http_banner()], gz=True),
        "censys": write_lines("c.json", [censys_host({})]),
        "zgrab2": write_lines("z.json", [zgrab2_http("192.0.2.1", "")]),
        "masscan": masscan,
        "nmap": nmap,
    }
    assert {name: detect_format(path) for name, path in files.items()} == {
        name: name for name in files
    }


def test_unknown_format_is_refused(write_lines: Callable[..., Path]) -> None:
    path = write_lines("other.json", [{"name": "not a scan"}, b"plain text"])
    with pytest.raises(UnknownFormat) as caught:
        detect_format(path)
    assert str(caught.value) == (
        f"{path}: unknown file format (not Shodan, Censys, ZGrab2, masscan or nmap)"
    )


def test_memory_stays_flat_on_a_long_file(write_lines: Callable[..., Path]) -> None:
    # records stream one chunk at a time: a reader never holds the whole file
    rows = [dict(shodan_http_banner(), ip_str=f"10.0.{i // 256}.{i % 256}") for i in range(3000)]
    path = write_lines("long.json.gz", rows, gz=True)
    _, items = read_records(path)
    first = next(items)
    assert isinstance(first, ScanRecord)
    assert sum(1 for _ in items) == 2999
    assert json.loads(json.dumps(rows[0]))["ip_str"] == "10.0.0.0"


def test_gzip_with_several_members_and_a_corrupt_one(tmp_path: Path) -> None:
    rows = [shodan_http_banner() | {"ip_str": f"192.0.2.{i}"} for i in range(1, 5)]
    lines = [json.dumps(row).encode() + b"\n" for row in rows]
    # `cat a.json.gz b.json.gz` is a valid gzip file of two members
    joined = tmp_path / "joined.json.gz"
    joined.write_bytes(gzip.compress(b"".join(lines[:2])) + gzip.compress(b"".join(lines[2:])))
    records = [r.ip for r in read_records(joined)[1] if isinstance(r, ScanRecord)]
    assert records == ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]
    # garbage after the first member: the first member's records are kept, the break reported
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(gzip.compress(b"".join(lines[:2])) + b"\x1f\x8bnot deflate data")
    items = list(read_records(broken, "shodan")[1])
    assert [r.ip for r in items if isinstance(r, ScanRecord)] == ["192.0.2.1", "192.0.2.2"]
    problem = items[-1]
    assert isinstance(problem, Problem)
    assert (problem.line, problem.message.split(" (")[0]) == (
        3,
        "compressed stream is truncated or corrupt",
    )


def test_nmap_file_cut_short_keeps_the_hosts_before(tmp_path: Path) -> None:
    cut = NMAP_XML[: NMAP_XML.index("<runstats>")]  # an interrupted scan: no closing tags
    path = tmp_path / "cut.xml"
    path.write_text(cut, "utf-8")
    items = list(read_records(path)[1])
    assert [r.ip for r in items if isinstance(r, ScanRecord)] == ["192.0.2.50", "192.0.2.51"]
    assert items[-1] == Problem(str(path), 32, "XML ends early: the file stops inside an element")


def test_masscan_x509_banner_gives_subject_and_issuer(tmp_path: Path) -> None:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ZheJiang Dahua Technology CO.,LTD."),
            x509.NameAttribute(NameOID.COMMON_NAME, "NVR"),
        ]
    )
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "192.0.2.60")])
    now = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    der = base64.b64encode(certificate.public_bytes(Encoding.DER)).decode()
    path = tmp_path / "tls.json"
    path.write_text(
        "[\n"
        '{   "ip": "192.0.2.60",   "timestamp": "1609459200", "ports": [ {"port": 443, '
        f'"proto": "tcp", "service": {{"name": "X509", "banner": "{der}"}} }} ] }}\n'
        ",\n"
        '{   "ip": "192.0.2.61",   "timestamp": "1609459200", "ports": [ {"port": 443, '
        '"proto": "tcp", "service": {"name": "X509", "banner": "bm90IGEgY2VydA=="} } ] }\n'
        "]\n",
        "utf-8",
    )
    first, second = list(read_records(path)[1])
    assert isinstance(first, ScanRecord) and isinstance(second, ScanRecord)
    assert first.services[0].fields == {
        "tls.subject_dn": "CN=192.0.2.60",
        "tls.issuer_dn": "CN=NVR,O=ZheJiang Dahua Technology CO.\\,LTD.,C=CN",
    }
    assert second.services[0].fields == {}
    from sightline.census.fingerprints import load_rules
    from sightline.census.matcher import Matcher

    assert Matcher(load_rules()).classify(first).signals == ("dahua-tls-organisation",)


def test_detection_reads_the_first_records_without_a_second_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sightline.census import inputs

    monkeypatch.setattr(inputs, "OVERLAP_MIN_BYTES", 0)
    started: list[object] = []
    ahead = inputs._ahead
    monkeypatch.setattr(inputs, "_ahead", lambda items: started.append(items) or ahead(items))
    rows = [{"ip_str": f"192.0.2.{n % 250}", "port": 80, "data": "x" * 900} for n in range(3000)]
    path = tmp_path / "big.json.gz"
    path.write_bytes(gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in rows)))
    assert detect_format(path) == "shodan"
    assert started == []
    _, items = read_records(path)
    assert sum(isinstance(item, ScanRecord) for item in items) == 3000
    assert len(started) == 1  # the whole file is read with one
