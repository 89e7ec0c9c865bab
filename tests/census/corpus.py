"""Test exports built from sourced strings, written in every format the census reads.

Each signal is a string a public source shows for a Hikvision or Dahua device (or for some
other device, which must not be counted), with the source beside it. ``write_export`` renders a
list of hosts, one signal each, as the file a scanner or data provider would write, so the
same devices can be counted in every format and compared with the truth.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: what each kind of signal is, where a scanner puts it
KINDS = (
    "server",  # HTTP Server header
    "realm",  # HTTP WWW-Authenticate challenge
    "rtsp_realm",  # RTSP WWW-Authenticate challenge
    "rtsp_server",  # RTSP Server header
    "title",  # HTML title
    "body",  # text in the HTML page
    "favicon_md5",  # MD5 of the icon (recog, nmap, Censys)
    "favicon_mmh3",  # mmh3 of the base64 icon (Shodan, Censys)
    "tls",  # certificate subject (a list of (attribute, value)), issuer the same
    "telnet",  # telnet banner
    "tcp_hex",  # raw TCP reply, as hex
    "http_head",  # a whole HTTP reply head, whose shape is the signal (status line and headers)
    "product",  # the scanner's own product label (Shodan product, Censys software, nmap service)
)


@dataclass(frozen=True)
class Signal:
    vendor: str | None
    kind: str
    value: Any
    source: str


HIK, DAHUA = "hikvision", "dahua"
RECOG = "rapid7/recog@14fa1a7:xml/"
NMAP = "nmap/nmap@db4aefd:nmap-service-probes line "
FPHUB = "0x727/FingerprintHub@62d01b0:web-fingerprint/"
NUCLEI_FAV = "projectdiscovery/nuclei-templates@00f067c:http/technologies/favicon-detect.yaml"
SANSATART = "sansatart/scrapts@a1ce8b8:shodan-favicon-hashes.csv line "
EHOLE = "EdgeSecurityTeam/EHole@9a91e0b:finger.json line "
PLUM = "https://github.com/D4-project/Plum-Island/issues/204"
NBSP = "\u00a0"

# The Dahua header set Plum-Island issue 204 shows (a HEAD request; its status line is assumed)
PLUM_HEAD = "\r\n".join(
    [
        "HTTP/1.1 200 OK",
        "CONNECTION: keep-alive",
        "Date: Thu, 20 Aug 2026 19:53:42 GMT",
        "Last-Modified: Fri, 05 Jun 2026 09:23:27 GMT",
        'Etag: "1780651407:298f"',
        "CONTENT-LENGTH: 10639",
        "CACHE-CONTROL: max-age=0",
        "Content-Security-Policy: script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "P3P: CP=CAO PSA OUR",
        "Strict-Transport-Security: max-age=604800; includeSubDomains",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: SAMEORIGIN",
        "X-XSS-Protection: 1;mode=block",
        "CONTENT-TYPE: text/html",
    ]
)

SIGNALS = [
    Signal(HIK, "server", "Hikvision-Webs", RECOG + "http_servers.xml"),
    Signal(HIK, "server", "DNVRS-Webs", RECOG + "http_servers.xml"),
    Signal(HIK, "server", "DVRDVS-Webs", RECOG + "http_servers.xml"),
    Signal(HIK, "server", "App-webs/", NMAP + "9762"),
    Signal(HIK, "server", "face-webs", FPHUB + "00_unknown/hikvision-videocload.yaml"),
    Signal(HIK, "realm", 'Basic realm="hikvision"', RECOG + "http_wwwauth.xml line 153"),
    Signal(HIK, "realm", 'Digest realm="Hikvision", nonce="5f3c", stale="FALSE"', NMAP + "12367"),
    Signal(
        HIK, "rtsp_realm", 'Digest realm="Hikvision", nonce="ab12", stale="FALSE"', NMAP + "12367"
    ),
    Signal(
        HIK, "rtsp_realm", 'Basic realm="HIKVISION"', RECOG + "http_wwwauth.xml line 151 ((?i))"
    ),
    Signal(HIK, "favicon_md5", "89b932fcc47cf4ca3faadb0cfdef89cf", RECOG + "favicons.xml"),
    Signal(HIK, "favicon_md5", "efca7d9aeaad122133c65cdf628ac574", RECOG + "favicons.xml"),
    Signal(
        HIK,
        "favicon_md5",
        "4209fe52e5c15345d0a1250f68a14d1e",
        FPHUB + "00_unknown/hikvision-isecure-center.yaml",
    ),
    Signal(HIK, "favicon_mmh3", "-808437027", FPHUB + "hikvision/hikvision.yaml"),
    Signal(HIK, "favicon_mmh3", "999357577", FPHUB + "hikvision/ds-2cd2026g2-iu-sl_firmware.yaml"),
    Signal(HIK, "favicon_mmh3", "-1830859634", FPHUB + "hikvision/intercom_broadcast_system.yaml"),
    Signal(
        HIK,
        "tls",
        [
            ("C", "CN"),
            ("ST", "ZheJiang"),
            ("L", "HangZhou"),
            ("O", "HIKVISION"),
            ("OU", "DVRNVR"),
            ("CN", "www.hikvision.com"),
        ],
        RECOG + "x509_subjects.xml line 823",
    ),
    Signal(HIK, "telnet", "192.0.0.64 login: ", RECOG + "telnet_banners.xml"),
    Signal(
        HIK,
        "body",
        "<p>杭州海康威视系统技术有限公司 版权所有</p>",
        FPHUB + "00_unknown/hikvision-ivms.yaml",
    ),
    Signal(
        HIK,
        "body",
        "<div>杭州海康威视数字技术股份有限公司</div>",
        FPHUB + "00_unknown/hikvision-v23-control.yaml",
    ),
    Signal(
        HIK,
        "body",
        "<title>x</title><script>if(m_bDVRControl.StopTalk()){}</script>",
        FPHUB + "00_unknown/hikvision-v23-control.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<?xml version="1.0"?>\n<userCheck>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n</userCheck>',
        "https://github.com/maciej-or/hikvision_next/issues/50",
    ),
    Signal(
        HIK,
        "body",
        "<p>Copyright Hikvision Digital Technology Co., Ltd.</p>",
        "projectdiscovery/nuclei-templates@161b903:http/technologies/hikvision-detect.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<script>window.location.href = "/doc/page/login.asp?_" + new Date().getTime();</script>',
        "projectdiscovery/nuclei-templates@161b903:http/technologies/hikvision-detect.yaml (path)",
    ),
    Signal(HIK, "tcp_hex", "000000100000001e0000001e00000000", NMAP + "1821"),
    Signal(HIK, "tcp_hex", "000000100000000d0000000d00000000", NMAP + "14039"),
    Signal(DAHUA, "rtsp_server", "Dahua Rtsp Server", NMAP + "11572"),
    Signal(
        DAHUA,
        "title",
        "WEB SERVICE",
        "projectdiscovery/nuclei-templates:http/exposed-panels/dahua-web-panel.yaml",
    ),
    Signal(
        DAHUA,
        "rtsp_realm",
        'Digest realm="Login to 4K01FD2PAJ6E3FF", nonce="203c8d27"',
        "https://github.com/scottlamb/retina/issues/62",
    ),
    Signal(
        DAHUA,
        "realm",
        'Digest realm="Login to ND011811000000", nonce="ec3682ef"',
        RECOG + "http_wwwauth.xml line 640 (Lorex)",
    ),
    Signal(
        DAHUA, "rtsp_realm", 'Digest realm="Login to 8b0c1a2f3d4e5f60", nonce="9a"', NMAP + "14883"
    ),
    Signal(
        DAHUA,
        "favicon_md5",
        "a437e84d20c9cf7442fffab49e0f07e7",
        "https://github.com/D4-project/Plum-Island/issues/204",
    ),
    Signal(
        DAHUA, "favicon_mmh3", "1653394551", "https://github.com/D4-project/Plum-Island/issues/204"
    ),
    Signal(DAHUA, "favicon_mmh3", "2019488876", NUCLEI_FAV),
    Signal(DAHUA, "favicon_mmh3", "833190513", NUCLEI_FAV),
    Signal(DAHUA, "favicon_mmh3", "1281253102", NUCLEI_FAV),
    Signal(DAHUA, "favicon_mmh3", "-1935899595", FPHUB + "dahua/icc.yaml"),
    Signal(DAHUA, "favicon_mmh3", "-1466785234", NUCLEI_FAV + " (dahua)"),
    Signal(
        DAHUA,
        "tls",
        [
            ("C", "CN"),
            ("ST", "Zhejiang"),
            ("L", "Hangzhou"),
            ("O", "ZheJiang Dahua Technology CO.,LTD."),
            ("OU", "NVR"),
            ("CN", "NVR"),
        ],
        "https://github.com/rroller/dahua/issues/647",
    ),
    Signal(
        DAHUA,
        "body",
        '<ul><li id="DSS-help"><span>DSS助手</span></li></ul>',
        FPHUB + "00_unknown/dahua-wpms.yaml",
    ),
    Signal(
        DAHUA,
        "body",
        '<link href="/WPMS/asset/common/css/base.css">',
        FPHUB + "dahuasecurity/smart_parking_management.yaml",
    ),
    # ---- found by going through the collections again (fingerprints.toml cites each)
    Signal(
        HIK,
        "http_head",
        "HTTP/1.0 200 OK\r\nDate: Thu, 01 Jan 2021 10:00:00 GMT\r\nServer: webserver\r\n"
        "X-Frame-Options: SAMEORIGIN\r\nX-Content-Type-Options: nosniff\r\n"
        'X-XSS-Protection: 1;mode=block\r\nETag: "600f-1e0-5f3c"\r\nContent-Length: 480\r\n'
        "Content-Type: text/html\r\nConnection: close\r\n"
        "Last-Modified: Thu, 01 Jan 2021 10:00:00 GMT",
        NMAP + "10643 (HikVision NVR or camera http config)",
    ),
    Signal(
        HIK,
        "http_head",
        "HTTP/1.0 401 Unauthorized\r\nDate: Thu, 01 Jan 2021 10:00:00 GMT\r\nServer: Webs\r\n"
        "Cache-Control: no-cache\r\nContent-Length: 178\r\nContent-Type: text/html\r\n"
        "Connection: close",
        NMAP + "10644 (HikVision NVR or camera http config)",
    ),
    Signal(
        HIK,
        "http_head",
        "HTTP/1.0 200 OK\r\nVary: Accept-Encoding\r\nX-Frame-Options: SAMEORIGIN\r\n"
        "Content-Type: text/html\r\nX-Content-Type-Options: nosniff\r\n"
        "Date: Thu, 01 Jan 2021 10:00:00 GMT\r\nETag: 1609495200\r\nContent-Length: 480\r\n"
        "X-XSS-Protection: 1; mode=block\r\nLast-Modified: Thu, 01 Jan 2021 10:00:00 GMT\r\n"
        "Connection: close\r\nAccept-Ranges: bytes",
        NMAP + "10645 (HikVision NVR or camera http config)",
    ),
    Signal(
        HIK,
        "http_head",
        "HTTP/1.0 302 Redirect\r\nServer: Webs\r\nDate: Fri Jan  1 10:00:00 2021\r\n"
        "Pragma: no-cache\r\nCache-Control: no-cache\r\nContent-Type: text/html\r\n"
        "Location: http://192.0.2.7/index.asp",
        NMAP + "10286 (Hikvision DVR web UI)",
    ),
    Signal(
        HIK,
        "favicon_md5",
        "288e14bff231111157309a4cdf3d545e",
        FPHUB + "00_unknown/综合安防管理平台 hikvision-isecure-center.yaml",
    ),
    Signal(
        HIK,
        "favicon_md5",
        "e854b2eaa9e4685a95d8052d5e3165bc",
        FPHUB + "00_unknown/hikvision-ip网络对讲广播系统.yaml",
    ),
    Signal(HIK, "favicon_mmh3", "1782271534", NUCLEI_FAV + " (truvision-nvr-interlogix)"),
    Signal(HIK, "favicon_mmh3", "-1093172228", NUCLEI_FAV + " (truvision-nvr)"),
    Signal(HIK, "favicon_mmh3", "-1351901211", SANSATART + "173 (Luma, DNVRS-Webs)"),
    Signal(HIK, "favicon_mmh3", "1876585825", SANSATART + "179 (ALIBI NVR, DNVRS-Webs)"),
    Signal(HIK, "title", "综合安防管理平台", EHOLE + "4668"),
    Signal(
        HIK,
        "body",
        '<link rel="icon" href="/isecure/ui/static/favicon.ico">'
        '<script src="/isecure/ui/static/js/chunk-vendors.js"></script>',
        FPHUB + "00_unknown/综合安防管理平台 hikvision-isecure-center.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<link rel="stylesheet" href="/portal/lida-icon/lidaicon.css">',
        FPHUB + "00_unknown/综合安防管理平台 hikvision-isecure-center.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<h1 class="logo">安防综合管理平台</h1>',
        FPHUB + "00_unknown/hikvision-ivms.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<input id="p_pass" name="p_pass" type="password"><a href="/bncgi-bin/test.pl">t</a>',
        FPHUB + "00_unknown/hikvision-视频编码设备接入网关.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<form name="login_form"><span>独立运行(无平台)</span></form>',
        EHOLE + "3773",
    ),
    Signal(HIK, "body", "<p>嗨看云视频</p>", FPHUB + "00_unknown/hikvision-cloudvideo.yaml"),
    Signal(
        HIK,
        "body",
        '<script>if (window.location.href.indexOf("/index/carFile/") < 0) {}</script>',
        FPHUB + "00_unknown/hikvision-intelligentsafeguardsystems.yaml",
    ),
    Signal(
        HIK,
        "body",
        '<script src="/portal/common/js/commonVar.js"></script>',
        FPHUB + "00_unknown/hikvision-ivms-8700.yaml",
    ),
    Signal(
        HIK,
        "tcp_hex",
        b"<ProbeMatch><Uuid>11223344-5566-7788-9900-112233445566</Uuid>"
        b"<DeviceSN>Virtual-123456789</DeviceSN><CommandPort>8000</CommandPort></ProbeMatch>".hex(),
        "julienblitte/UniversalScanner@fb7ae67:UniversalScanner/Hikvision.selftest (SADP, shortened)",
    ),
    Signal(
        HIK,
        "body",
        '<?xml version="1.0" encoding="UTF-8" ?>\n<DeviceInfo version="1.0" '
        'xmlns="http://www.hikvision.com/ver20/XMLSchema">\n<model>DS-7204HUHI-K1</model>\n'
        "<firmwareVersion>V4.21.000</firmwareVersion>\n</DeviceInfo>",
        "https://github.com/mezz64/pyHik/issues/57",
    ),
    Signal(
        HIK,
        "body",
        '<storage xmlns="http://www.std-cgi.com/ver20/XMLSchema" version="1.0">'
        "<hddList></hddList></storage>",
        "https://github.com/CamioCam/rtsp/issues/123 (an OEM build: medium)",
    ),
    Signal(HIK, "product", "Hikvision camera httpd", NMAP + "10064"),
    Signal(HIK, "product", "HikVision NVR or camera http config", NMAP + "10643"),
    Signal(
        DAHUA,
        "tls",
        [
            ("C", "CN"),
            ("ST", "Zhejiang"),
            ("L", "Hangzhou"),
            ("O", f"Zhejiang{NBSP}Dahua{NBSP}Technology{NBSP}Co.,Ltd."),
            ("CN", f"Dahua{NBSP}Device{NBSP}NVR{NBSP}CA"),
        ],
        PLUM + " (no-break spaces as the issue prints them)",
    ),
    Signal(DAHUA, "http_head", PLUM_HEAD, PLUM),
    Signal(
        DAHUA,
        "http_head",
        "HTTP/1.1 200 OK\r\nCONNECTION: close\r\nCONTENT-LENGTH: 1024\r\n"
        "CACHE-CONTROL: max-age=0\r\nCONTENT-TYPE: text/html",
        NMAP + "10444 (Dahua webcam httpd)",
    ),
    Signal(
        DAHUA,
        "body",
        "<div>Copyright Amcrest Technologies</div><label>LDAPUser</label>",
        "projectdiscovery/nuclei-templates@0474fff:http/exposed-panels/amcrest-login.yaml",
    ),
    Signal(
        DAHUA,
        "tcp_hex",
        b'{ "mac" : "00:11:22:33:44:55", "method" : "client.notifyDevInfo", "params" : '
        b'{ "deviceInfo" : { "DeviceType" : "Virtual (JSON)" } } }'.hex(),
        "julienblitte/UniversalScanner@fb7ae67:UniversalScanner/Dahua2.selftest (DHIP, shortened)",
    ),
    Signal(
        DAHUA,
        "tcp_hex",
        "2000000044484950d9649aa900000000eb00000000000000eb00000000000000"
        + b'{"result":false,"params":{"realm":"Login to EB2711F0F250EAB5",'
        b'"encryption":"Default"},"id":0}'.hex(),
        "https://github.com/mcw0/DahuaConsole/issues/29 (DHIP login challenge, shortened)",
    ),
    Signal(
        DAHUA,
        "tcp_hex",
        "00000101400a0008800082004cb80102ffffffff00000000",
        NMAP + "14051 (Lorex security camera monitor)",
    ),
    Signal(DAHUA, "product", "Dahua IP camera rtspd", NMAP + "11572"),
    Signal(DAHUA, "product", "Lorex IP camera rtspd", NMAP + "14883"),
    Signal(DAHUA, "product", "Amcrest IP camera http interface", NMAP + "10443"),
    # not Hikvision or Dahua: strings for other devices, and generic words
    Signal(None, "server", "uc-httpd/1.0.0", RECOG + "http_servers.xml (Xiongmai)"),
    Signal(None, "server", "Webs", NMAP + "10286 (weak alone: GoAhead-derived servers)"),
    Signal(None, "server", "GoAhead-Webs", RECOG + "http_servers.xml (GoAhead)"),
    Signal(None, "server", "Boa/0.94.14rc21", RECOG + "http_servers.xml (Boa)"),
    Signal(None, "server", "lighttpd/1.4.35", RECOG + "http_servers.xml (lighttpd)"),
    Signal(None, "server", "nginx", "nginx's own default Server header"),
    Signal(
        None,
        "realm",
        'Basic realm="Merit LILIN Ent. Co., Ltd."',
        RECOG + "http_wwwauth.xml line 165",
    ),
    Signal(
        None, "realm", 'Basic realm="Wireless Access Point"', RECOG + "http_wwwauth.xml line 169"
    ),
    Signal(None, "realm", 'Basic realm="device"', "a generic realm word (weak alone)"),
    Signal(
        None,
        "realm",
        'Digest realm="Login to the router", nonce="1"',
        "invented: words, not a serial",
    ),
    Signal(None, "rtsp_server", "GStreamer RTSP server", RECOG + "rtsp_servers.xml"),
    Signal(None, "rtsp_server", "WMServer/9.1.1.5001", RECOG + "rtsp_servers.xml"),
    Signal(None, "title", "Welcome to nginx!", "nginx's own default page"),
    Signal(
        None,
        "body",
        "<html><body>hikvision-style login?</body></html>",
        "invented: a word, not a signature",
    ),
    Signal(None, "favicon_mmh3", "116323821", NUCLEI_FAV + " (spring-boot)"),
    Signal(None, "favicon_mmh3", "-1616143106", NUCLEI_FAV + " (axis-network-cameras)"),
    Signal(
        None,
        "favicon_md5",
        "9d35c5f8a9584ac36a716ae9b68fe566",
        RECOG + "favicons.xml (Ubiquiti Cloud Key)",
    ),
    Signal(
        None,
        "tls",
        [("C", "UK"), ("O", "Polatis Inc."), ("OU", "Polatis Switch 1591"), ("CN", "192.168.0.1")],
        RECOG + "x509_subjects.xml line 834",
    ),
    Signal(
        None,
        "telnet",
        "Remote Management Console\r\nlogin: ",
        RECOG + "telnet_banners.xml (Juniper)",
    ),
    # other camera and recorder makers, from the same collections
    Signal(None, "server", "Cross Web Server", RECOG + "http_servers.xml line 3057 (HiSilicon)"),
    Signal(None, "server", "ReeCam IP Camera", RECOG + "http_servers.xml line 1117"),
    Signal(None, "server", "Netwave IP Camera", RECOG + "http_servers.xml line 1125"),
    Signal(None, "server", "alphapd/2.1.8", RECOG + "http_servers.xml line 4095 (D-Link)"),
    Signal(
        None,
        "server",
        "Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22",
        RECOG + "http_servers.xml line 4186 (Axis)",
    ),
    Signal(None, "server", "ev-compat", RECOG + "http_servers.xml line 4776 (Pelco)"),
    Signal(None, "server", "VCS-VIDOS-NVR", RECOG + "http_servers.xml line 1193 (Bosch)"),
    Signal(None, "server", "FUHO-DVR", RECOG + "http_servers.xml line 1203"),
    Signal(None, "server", "MWS 0.01", RECOG + "http_servers.xml line 4443 (ANNKE: not tied)"),
    Signal(None, "server", "Avtech/1.0", SANSATART + "260 (Avtech)"),
    Signal(None, "server", "VVTK-HTTP-Server", SANSATART + "319 (Vivotek)"),
    Signal(None, "server", "JAWS/1.0", SANSATART + "298 (JAWS IP camera web server)"),
    Signal(None, "realm", 'Basic realm="DVR"', RECOG + "http_wwwauth.xml line 145 (generic)"),
    Signal(None, "realm", 'Basic realm="camera"', RECOG + "http_wwwauth.xml line 177"),
    Signal(None, "realm", 'Basic realm="DCS-5222LB1"', RECOG + "http_wwwauth.xml line 185"),
    Signal(None, "realm", 'Basic realm="TP-LINK IP-Camera"', RECOG + "http_wwwauth.xml line 410"),
    Signal(
        None,
        "realm",
        'Digest realm="Orbit-351", nonce="0000040dY892418598785d2a2304a74adf22f6098f2792"',
        RECOG + "http_wwwauth.xml line 549 (Truen rebrand)",
    ),
    Signal(
        None,
        "rtsp_realm",
        'Digest realm="Use \'live\' as User Name",nonce="18e62d241a5358a9650640fa72c1773c"',
        RECOG + "http_wwwauth.xml line 657 (Bosch)",
    ),
    Signal(None, "realm", 'Basic realm="MOBOTIX Camera User"', SANSATART + "150 (Mobotix)"),
    Signal(None, "title", "NETSurveillance WEB", RECOG + "html_title.xml line 221 (Xiongmai)"),
    Signal(None, "title", "DVR Components Download", RECOG + "html_title.xml line 209"),
    Signal(None, "title", "Web Viewer for Samsung DVR", RECOG + "html_title.xml line 408"),
    Signal(None, "title", "AXIS", RECOG + "html_title.xml line 1509"),
    Signal(None, "title", "Hanwha Techwin", RECOG + "html_title.xml line 1519"),
    Signal(None, "title", "Sony Network Camera", RECOG + "html_title.xml line 3370"),
    Signal(None, "title", "Network Video Recorder Login", RECOG + "html_title.xml line 3797"),
    Signal(None, "title", "Reolink", SANSATART + "289 (Reolink)"),
    Signal(None, "rtsp_server", "Hipcam RealServer/V1.0", RECOG + "rtsp_servers.xml line 14"),
    Signal(
        None, "rtsp_server", "HiIpcam/V100R003 VodServer/1.0.0", RECOG + "rtsp_servers.xml line 61"
    ),
    Signal(None, "rtsp_server", "AvigilonOnvifNvt/2.6.0.130", RECOG + "rtsp_servers.xml line 87"),
    Signal(None, "rtsp_server", "Indigo-Security/1.0", RECOG + "rtsp_servers.xml line 68"),
    Signal(
        None,
        "rtsp_server",
        "DSS/6.0.3 (Build/526.3; Platform/Linux; Release/Darwin; )",
        NMAP + "12315 (Darwin Streaming Server: DSS is not Dahua's DSS)",
    ),
    Signal(
        None,
        "tls",
        [("O", "Axis Communications AB"), ("CN", "axis-accc8ea31abf")],
        RECOG + "x509_subjects.xml line 1404 (Axis)",
    ),
    Signal(
        None,
        "tls",
        [
            ("C", "KR"),
            ("ST", "Seoul"),
            ("L", "Seoul"),
            ("O", "Truen"),
            ("OU", "Security"),
            ("CN", "TCAM"),
        ],
        RECOG + "x509_subjects.xml line 1593 (Truen)",
    ),
    Signal(
        None,
        "tls",
        [
            ("C", "DE"),
            ("ST", "Bayern"),
            ("L", "Grasbrunn"),
            ("O", "Bosch Sicherheitssysteme GmbH"),
            ("CN", "local.myboschcam.net"),
        ],
        RECOG + "x509_subjects.xml line 1728 (Bosch)",
    ),
    Signal(
        None,
        "tls",
        [
            ("C", "TW"),
            ("L", "Taipei"),
            ("O", "Ubiquiti Networks Inc."),
            ("OU", "devint"),
            ("CN", "camera.ubnt.dev"),
        ],
        RECOG + "x509_subjects.xml line 987 (UniFi camera)",
    ),
    Signal(None, "favicon_md5", "842c79ab11f38323fc554afbea5c990a", RECOG + "favicons.xml 1224"),
    Signal(None, "favicon_md5", "a3fd8705f010b90e37d42128000f620b", RECOG + "favicons.xml 1587"),
    Signal(None, "favicon_md5", "d9526978908979fa5018db0bcc762aa0", RECOG + "favicons.xml 1896"),
    Signal(None, "favicon_md5", "bd1b5fef10a0846b2db322b90a57b746", RECOG + "favicons.xml 2156"),
    Signal(None, "favicon_mmh3", "-1240222446", SANSATART + "110 (Uniview)"),
    Signal(None, "favicon_mmh3", "-38705358", SANSATART + "289 (Reolink)"),
    Signal(None, "favicon_mmh3", "-1654229048", SANSATART + "319 (Vivotek)"),
    Signal(None, "favicon_mmh3", "661332347", SANSATART + "150 (Mobotix)"),
    Signal(None, "favicon_mmh3", "-873627015", SANSATART + "186 (HeroSpeed)"),
    Signal(None, "favicon_mmh3", "-194439630", SANSATART + "260 (Avtech)"),
    Signal(None, "favicon_mmh3", "-1702769256", SANSATART + "470 (Bosch)"),
    Signal(None, "favicon_mmh3", "1318124267", NUCLEI_FAV + " (avigilon)"),
    Signal(None, "telnet", "ADB-4820CD login: ", RECOG + "telnet_banners.xml line 819"),
    Signal(None, "telnet", "IMDVRS login: ", RECOG + "telnet_banners.xml line 827"),
    Signal(
        None,
        "telnet",
        "Welcome to AutoDome 800 HD 1.2.3.4 from 5.6.7.8",
        RECOG + "telnet_banners.xml line 2142 (Bosch)",
    ),
    Signal(
        None,
        "http_head",
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1024\r\n"
        "Cache-Control: max-age=0\r\nContent-Type: text/html",
        "invented: Dahua's header order in ordinary case (the upper-case names are the signal)",
    ),
    Signal(
        None,
        "http_head",
        "HTTP/1.0 200 OK\r\nServer: GoAhead-Webs\r\nContent-Type: text/html\r\nConnection: close",
        RECOG + "http_servers.xml (GoAhead-Webs)",
    ),
    Signal(
        None,
        "body",
        "<script>var serviceIP = location.hostname;</script>",
        "invented: the generic word (serviceip) FPHub's hikvision-ivms.yaml accepts alone; rejected",
    ),
    Signal(
        None,
        "body",
        "<p>Amcrest</p>",
        FPHUB + "amcrest/ipm-721s_firmware.yaml (one word: rejected)",
    ),
    Signal(None, "product", "LTS or QSEE DVR video server", NMAP + "532 (two brands: not tied)"),
    Signal(None, "product", "Swann DVR telnetd", NMAP + "4831 (Swann: not tied)"),
    Signal(
        None,
        "product",
        "Axis 2100 Network Camera ftpd",
        NMAP + "696 (p/Axis $1 Network Camera ftpd/)",
    ),
]

#: the kinds of signal each format can carry (a format that has no place for one cannot show it)
CARRIES: dict[str, frozenset[str]] = {
    "shodan": frozenset(KINDS) - {"favicon_md5"},  # Shodan keeps the icon, not its MD5
    "shodan-array": frozenset(KINDS) - {"favicon_md5"},
    # header maps, not the reply head; Censys v1, ZGrab2 and masscan have no product label
    "censys": frozenset(KINDS) - {"tcp_hex", "http_head"},
    "censys-v1": frozenset(KINDS)
    - {"favicon_md5", "favicon_mmh3", "tcp_hex"}
    - {"http_head", "product"},
    "zgrab2": frozenset(KINDS) - {"favicon_md5", "favicon_mmh3", "http_head", "product"},
    "masscan": frozenset(KINDS) - {"favicon_md5", "favicon_mmh3", "product"},
    "masscan-list": frozenset(KINDS) - {"favicon_md5", "favicon_mmh3", "tls", "product"},
    "masscan-xml": frozenset(KINDS) - {"favicon_md5", "favicon_mmh3", "tls", "product"},
    "nmap": frozenset(KINDS) - {"favicon_mmh3"},
}
FORMATS = tuple(CARRIES)


@dataclass(frozen=True)
class Host:
    ip: str
    signal: Signal
    variant: int  # 0: as the source shows it; 1 and 2: the same string as other writers render it


def hosts_for(fmt: str, variants: int = 3) -> list[Host]:
    out = []
    n = 0
    for signal in SIGNALS:
        if signal.kind not in CARRIES[fmt]:
            continue
        for variant in range(variants):
            n += 1
            out.append(Host(f"198.51.{n // 200}.{n % 200 + 1}", signal, variant))
    return out


def truth(hosts: list[Host]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {HIK: set(), DAHUA: set()}
    for host in hosts:
        if host.signal.vendor is not None:
            found[host.signal.vendor].add(host.ip)
    return found


# ---------------------------------------------------------------- rendering one signal


def _challenge(value: str, variant: int) -> str:
    if variant == 1:  # the same challenge with the scheme in another case
        return value.replace("Basic ", "BASIC ").replace("Digest ", "DIGEST ")
    if variant == 2:  # after another challenge: every challenge must be read, not the first
        return 'Basic realm="/"\r\nWWW-Authenticate: ' + value
    return value


def _dn(pairs: list[tuple[str, str]], variant: int) -> str:
    if variant == 1:  # RFC 4514 order (most specific first), no spaces
        return ",".join(f"{k}={v}" for k, v in reversed(pairs))
    if variant == 2:  # OpenSSL's one-line form
        return "/" + "/".join(f"{k}={v}" for k, v in pairs)
    return ", ".join(f"{k}={v}" for k, v in pairs)


def http_head(signal: Signal, variant: int) -> str:
    lines = ["HTTP/1.1 200 OK"]
    if signal.kind == "server":
        lines.append(f"Server: {signal.value}")
    elif signal.kind == "realm":
        lines[0] = "HTTP/1.1 401 Unauthorized"
        lines.append(f"WWW-Authenticate: {_challenge(signal.value, variant)}")
    lines.append("Content-Type: text/html")
    return "\r\n".join(lines) + "\r\n\r\n"


def rtsp_reply(signal: Signal, variant: int) -> str:
    lines = ["RTSP/1.0 401 Unauthorized", "CSeq: 1"]
    if signal.kind == "rtsp_server":
        lines[0] = "RTSP/1.0 200 OK"
        lines.append(f"Server: {signal.value}")
    else:
        lines.append(f"WWW-Authenticate: {_challenge(signal.value, variant)}")
    return "\r\n".join(lines) + "\r\n\r\n"


def page(signal: Signal) -> str:
    if signal.kind == "title":
        return f"<html><head><title>{html.escape(signal.value)}</title></head></html>"
    return f"<html><head><title>Login</title></head><body>{signal.value}</body></html>"


def header_value(head: str, name: str) -> str | None:
    """The value of one header in a raw reply head (as Shodan fills ``http.server``)."""
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(": ")
        if key.lower() == name.lower():
            return value
    return None


#: icons nmap's http-favicon script names instead of printing their MD5
#: (nmap/nmap@db4aefd:nselib/data/favicon-db line 115)
NMAP_FAVICON_DB = {"89b932fcc47cf4ca3faadb0cfdef89cf": "Hikvision DVR"}


def raw_bytes(signal: Signal) -> str:
    return bytes.fromhex(signal.value).decode("latin-1")


PORTS = {"rtsp_realm": 554, "rtsp_server": 554, "telnet": 23, "tcp_hex": 8000, "tls": 443}


def _port(signal: Signal) -> int:
    return PORTS.get(signal.kind, 80)


def certificate_der(pairs: list[tuple[str, str]]) -> bytes:
    """A self-signed certificate whose subject and issuer are ``pairs`` (for masscan's X509)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    oids = {
        "C": NameOID.COUNTRY_NAME,
        "ST": NameOID.STATE_OR_PROVINCE_NAME,
        "L": NameOID.LOCALITY_NAME,
        "O": NameOID.ORGANIZATION_NAME,
        "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "CN": NameOID.COMMON_NAME,
    }
    name = x509.Name([x509.NameAttribute(oids[k], v) for k, v in pairs if k != "C" or len(v) == 2])
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(Encoding.DER)


# ---------------------------------------------------------------- one writer per format

STAMP = "2021-02-01T10:00:00.000000"
UNIX = "1612173600"


def shodan_banner(host: Host) -> dict[str, Any]:
    s, v = host.signal, host.variant
    out: dict[str, Any] = {
        "ip_str": host.ip,
        "port": _port(s),
        "timestamp": STAMP,
        "asn": "AS64496",
        "org": "Example Net Ltd",
        "location": {"country_code": "GB", "region_code": "ENG"},
        "_shodan": {"module": "http"},
    }
    if s.kind in ("server", "realm", "title", "body", "favicon_mmh3"):
        out["data"] = http_head(s, v)
        http: dict[str, Any] = {"server": s.value if s.kind == "server" else None}
        if s.kind == "title":
            http["title"] = s.value
        if s.kind == "body":
            http["html"] = page(s)
        if s.kind == "favicon_mmh3":
            http["favicon"] = {"hash": int(s.value), "data": base64.b64encode(b"icon").decode()}
        out["http"] = http
    elif s.kind in ("rtsp_realm", "rtsp_server"):
        out["data"] = rtsp_reply(s, v)
        out["_shodan"]["module"] = "rtsp-tcp"
    elif s.kind == "tls":
        out["data"] = http_head(Signal(None, "title", "", ""), v)
        as_dict: dict[str, Any] = {}
        for key, value in s.value:
            as_dict.setdefault(key, value)
        out["ssl"] = {"cert": {"subject": as_dict, "issuer": as_dict}}
    elif s.kind == "telnet":
        out["data"] = s.value
        out["_shodan"]["module"] = "telnet"
    elif s.kind == "tcp_hex":
        out["data"] = raw_bytes(s)
        out["_shodan"]["module"] = "hikvision"
    elif s.kind == "http_head":
        out["data"] = s.value + "\r\n\r\n"
        out["http"] = {"server": header_value(s.value, "Server")}
    elif s.kind == "product":
        out["data"] = "HTTP/1.1 200 OK\r\n\r\n"
        out["product"] = s.value
    return out


def censys_host(host: Host) -> dict[str, Any]:
    s, v = host.signal, host.variant
    service: dict[str, Any] = {"port": _port(s), "service_name": "HTTP"}
    if s.kind in ("server", "realm", "title", "body", "favicon_md5", "favicon_mmh3"):
        headers: dict[str, Any] = {}
        if s.kind == "server":
            headers["Server"] = [s.value]
        if s.kind == "realm":
            headers["Www_Authenticate"] = _challenge(s.value, v).split("\r\nWWW-Authenticate: ")
        response: dict[str, Any] = {"headers": headers}
        if s.kind == "title":
            response["html_title"] = s.value
        if s.kind == "body":
            response["body"] = page(s)
        if s.kind == "favicon_md5":
            response["favicons"] = [{"md5_hash": s.value.upper() if v == 1 else s.value}]
        if s.kind == "favicon_mmh3":
            response["favicons"] = [{"shodan_hash": int(s.value)}]
        service["http"] = {"response": response}
    elif s.kind in ("rtsp_realm", "rtsp_server"):
        service |= {"service_name": "RTSP", "banner": rtsp_reply(s, v)}
    elif s.kind == "tls":
        dn = _dn(s.value, v)
        service["tls"] = {"certificates": {"leaf_data": {"subject_dn": dn, "issuer_dn": dn}}}
    elif s.kind == "telnet":
        service |= {"service_name": "TELNET", "banner": s.value}
    elif s.kind == "product":
        service["software"] = [{"product": s.value, "source": "OSI_APPLICATION_LAYER"}]
    return {
        "ip": host.ip,
        "services": [service],
        "location": {"country_code": "GB", "province": "England"},
        "autonomous_system": {"asn": 64496, "name": "EXAMPLE", "description": "Example Net"},
        "last_updated_at": "2021-02-01T10:00:00Z",
    }


def censys_v1_host(host: Host) -> dict[str, Any]:
    s, v = host.signal, host.variant
    port = _port(s)
    protocol: dict[str, Any] = {}
    if s.kind in ("server", "realm", "title", "body"):
        headers: dict[str, Any] = {}
        if s.kind == "server":
            headers["server"] = s.value
        if s.kind == "realm":
            headers["www_authenticate"] = ", ".join(
                _challenge(s.value, v).split("\r\nWWW-Authenticate: ")
            )
        get: dict[str, Any] = {"headers": headers}
        if s.kind == "title":
            get["title"] = s.value
        if s.kind == "body":
            get["body"] = page(s)
        protocol = {"http": {"get": get}}
    elif s.kind in ("rtsp_realm", "rtsp_server"):
        protocol = {"rtsp": {"banner": rtsp_reply(s, v)}}
    elif s.kind == "tls":
        dn = _dn(s.value, v)
        protocol = {
            "https": {"tls": {"certificate": {"parsed": {"subject_dn": dn, "issuer_dn": dn}}}}
        }
    elif s.kind == "telnet":
        protocol = {"telnet": {"banner": {"banner": s.value}}}
    return {
        "ip": host.ip,
        "ports": [port],
        "protocols": [f"{port}/x"],
        "updated_at": "2021-02-01T10:00:00+00:00",
        "autonomous_system": {"asn": 64496, "name": "EXAMPLE"},
        str(port) if v != 2 else f"p{port}": protocol,
    }


def zgrab2_record(host: Host) -> dict[str, Any]:
    s, v = host.signal, host.variant
    modules: dict[str, Any] = {}
    stamp = "2021-02-01T10:00:00Z"
    if s.kind in ("server", "realm", "title", "body"):
        headers: dict[str, Any] = {}
        if s.kind == "server":
            headers["server"] = [s.value]
        if s.kind == "realm":
            headers["www_authenticate"] = _challenge(s.value, v).split("\r\nWWW-Authenticate: ")
        response = {"status_code": 200, "headers": headers, "body": page(s)}
        response["request"] = {"url": {"scheme": "http", "host": host.ip}}
        modules["http"] = {
            "status": "success",
            "result": {"response": response},
            "timestamp": stamp,
        }
    elif s.kind == "tls":
        dn = _dn(s.value, v)
        parsed = {"subject_dn": dn, "issuer_dn": dn}
        log = {"server_certificates": {"certificate": {"parsed": parsed}}}
        modules["tls"] = {"status": "success", "result": {"handshake_log": log}, "timestamp": stamp}
    else:
        text = {
            "rtsp_realm": lambda: rtsp_reply(s, v),
            "rtsp_server": lambda: rtsp_reply(s, v),
            "telnet": lambda: s.value,
            "tcp_hex": lambda: raw_bytes(s),
        }[s.kind]()
        name = {"telnet": "telnet", "tcp_hex": "banner"}.get(s.kind, "rtsp")
        modules[name] = {
            "status": "success",
            "port": _port(s),
            "result": {"banner": text},
            "timestamp": stamp,
        }
    return {"ip": host.ip, "data": modules}


def masscan_banners(host: Host) -> list[tuple[str, str]]:
    """(masscan's name for the banner, its text) for one host."""
    s, v = host.signal, host.variant
    if s.kind == "server":
        return [("http.server", s.value), ("http", http_head(s, v))]
    if s.kind == "realm":
        return [("http", http_head(s, v))]
    if s.kind == "title":
        return [("title", s.value)]
    if s.kind == "body":
        return [("http", http_head(s, v) + page(s))]
    if s.kind in ("rtsp_realm", "rtsp_server"):
        return [("rtsp", rtsp_reply(s, v))]
    if s.kind == "telnet":
        return [("telnet", s.value)]
    if s.kind == "tls":
        return [("X509", base64.b64encode(certificate_der(s.value)).decode())]
    if s.kind == "http_head":
        return [("http", s.value + "\r\n\r\n")]
    return [("unknown", raw_bytes(s))]


def _escape(text: str) -> str:
    """masscan's banner escaping: bytes outside printable ASCII, and <>&\\"', as \\xNN."""
    return "".join(
        c if 32 <= ord(c) < 127 and c not in "<>&\\\"'" else f"\\x{ord(c) & 0xFF:02x}"
        for c in text.encode("utf-8").decode("latin-1")
    )


def _attribute(text: str) -> str:
    """An XML attribute value as nmap writes one: newlines as character references."""
    return html.escape(text, quote=True).replace("\n", "&#xa;").replace("\r", "&#xd;")


def nmap_host(host: Host) -> str:
    s, v = host.signal, host.variant
    scripts = []
    name = "http"
    product = ""
    if s.kind == "server" and v == 1:  # the http-headers script lists the reply's headers
        listing = f"\n  Server: {s.value}\n  Content-Type: text/html\n  \n  (Request type: HEAD)\n"
        scripts.append(("http-headers", listing, ""))
    elif s.kind == "server":
        scripts.append(("http-server-header", s.value, ""))
    elif s.kind == "realm" and v == 1:
        lines = "".join(f"\n  WWW-Authenticate: {c}" for c in s.value.split("\r\n"))
        scripts.append(("http-headers", lines + "\n  \n  (Request type: GET)\n", ""))
    elif s.kind == "title":
        scripts.append(("http-title", s.value, f'<elem key="title">{html.escape(s.value)}</elem>'))
    elif s.kind == "favicon_md5":
        known = NMAP_FAVICON_DB.get(s.value)
        label = known if known and v == 2 else f"Unknown favicon MD5: {s.value.upper()}"
        scripts.append(("http-favicon", label, ""))
    elif s.kind == "http_head":
        text = html.escape(s.value + "\r\n\r\n")
        scripts.append(("fingerprint-strings", "", f'<elem key="GetRequest">{text}</elem>'))
    elif s.kind == "product":
        product = f' product="{html.escape(s.value, quote=True)}"'
    elif s.kind in ("realm", "body"):
        text = http_head(s, v) + (page(s) if s.kind == "body" else "")
        scripts.append(
            ("fingerprint-strings", "", f'<elem key="GetRequest">{html.escape(text)}</elem>')
        )
    elif s.kind in ("rtsp_realm", "rtsp_server"):
        name = "rtsp"
        scripts.append(
            (
                "fingerprint-strings",
                "",
                f'<elem key="RTSPRequest">{html.escape(rtsp_reply(s, v))}</elem>',
            )
        )
    elif s.kind == "telnet":
        name = "telnet"
        scripts.append(("banner", s.value, ""))
    elif s.kind == "tcp_hex":
        name = "unknown"
        scripts.append(("banner", _escape(raw_bytes(s)), ""))
    elif s.kind == "tls":
        names = {
            "C": "countryName",
            "ST": "stateOrProvinceName",
            "L": "localityName",
            "O": "organizationName",
            "OU": "organizationalUnitName",
            "CN": "commonName",
        }
        elems = "".join(f'<elem key="{names[k]}">{html.escape(val)}</elem>' for k, val in s.value)
        tables = f'<table key="subject">{elems}</table><table key="issuer">{elems}</table>'
        scripts.append(("ssl-cert", "Subject: ...", tables))
    rendered = "".join(
        f'<script id="{sid}" output="{_attribute(out)}">{inner}</script>'
        for sid, out, inner in scripts
    )
    return (
        f'<host starttime="{UNIX}" endtime="{UNIX}"><status state="up" reason="syn-ack"/>\n'
        f'<address addr="{host.ip}" addrtype="ipv4"/>\n'
        f'<ports><port protocol="tcp" portid="{_port(s)}"><state state="open"/>'
        f'<service name="{name}"{product}/>{rendered}</port></ports>\n</host>\n'
    )


def write_export(fmt: str, hosts: list[Host], path: Path) -> Path:
    """Write ``hosts`` as the named export format (gzip-compressed when the name ends .gz)."""
    if fmt == "shodan":
        text = "".join(json.dumps(shodan_banner(h)) + "\n" for h in hosts)
    elif fmt == "shodan-array":
        text = json.dumps([shodan_banner(h) for h in hosts], indent=2, ensure_ascii=False)
    elif fmt == "censys":
        text = "".join(json.dumps(censys_host(h)) + "\n" for h in hosts)
    elif fmt == "censys-v1":
        text = "".join(json.dumps(censys_v1_host(h)) + "\n" for h in hosts)
    elif fmt == "zgrab2":
        text = "".join(json.dumps(zgrab2_record(h)) + "\n" for h in hosts)
    elif fmt == "masscan":
        rows = []
        for h in hosts:
            for name, banner in masscan_banners(h):
                service = {"name": name, "banner": banner}
                port = {"port": _port(h.signal), "proto": "tcp", "service": service}
                rows.append(json.dumps({"ip": h.ip, "timestamp": UNIX, "ports": [port]}))
        text = "[\n" + "\n,\n".join(rows) + "\n]\n"
    elif fmt == "masscan-list":
        lines = ["#masscan"]
        for h in hosts:
            lines.append(f"open tcp {_port(h.signal)} {h.ip} {UNIX}")
            for name, banner in masscan_banners(h):
                lines.append(f"banner tcp {_port(h.signal)} {h.ip} {UNIX} {name} {_escape(banner)}")
        text = "\n".join(lines) + "\n# end\n"
    elif fmt == "masscan-xml":
        parts = ['<?xml version="1.0"?>\n<nmaprun scanner="masscan" start="' + UNIX + '">\n']
        for h in hosts:
            for name, banner in masscan_banners(h):
                parts.append(
                    f'<host endtime="{UNIX}"><address addr="{h.ip}" addrtype="ipv4"/><ports>'
                    f'<port protocol="tcp" portid="{_port(h.signal)}"><service name="{name}" '
                    f'banner="{_escape(banner)}"></service></port></ports></host>\n'
                )
        text = "".join(parts) + "</nmaprun>\n"
    elif fmt == "nmap":
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" start="'
            + UNIX
            + '">\n'
            + "".join(nmap_host(h) for h in hosts)
            + "</nmaprun>\n"
        )
    else:
        raise ValueError(fmt)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path
