"""The demonstration's invented councils and how each answers.

Every name here is invented and every domain is under ``.example`` (RFC 2606): no answer is ever
attributed to a real body. Between them the councils answer in the forms real ones use: a plain
e-mail, an HTML e-mail, a typed PDF letter, a scanned letter, an asset-register spreadsheet, an
acknowledgement followed by an answer, a refusal citing exemptions, a bounce, silence, and an
answer that arrives after the findings were published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SENT_ON = dt.date(2026, 1, 12)  # a Monday; every reply is dated relative to it
PUBLISHED_ON = dt.date(2026, 2, 27)  # the first report; one answer comes after it


@dataclass(frozen=True)
class Reply:
    days_after: int  # calendar days after the request was sent
    form: str  # text, html, pdf, scan, register, bounce
    body: str
    attachment_lines: tuple[str, ...] = ()
    register_rows: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class Expected:
    """What a careful reader codes from the replies (docs/formats.md columns)."""

    outcome: str
    hikvision: str = "unknown"
    dahua: str = "unknown"
    unspecified: bool = False
    facial_recognition: str = "unknown"
    hikvision_devices: int | None = None
    dahua_devices: int | None = None


@dataclass(frozen=True)
class FictionalCouncil:
    code: str
    name: str
    short_name: str
    nation: str
    group: str  # demo-boroughs or demo-cities
    replies: tuple[Reply, ...]
    expected: Expected
    bad_address: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def domain(self) -> str:
        return self.short_name.lower().replace(" ", "") + ".example"

    @property
    def foi_email(self) -> str:
        mailbox = "nobody" if self.bad_address else "foi"
        return f"{mailbox}@{self.domain}"


ACK = (
    "Thank you for your request for information, which we received on {sent}. We are dealing "
    "with it under the {law_name} and will respond within 20 working days."
)

COUNCILS: tuple[FictionalCouncil, ...] = (
    FictionalCouncil(
        "DEMO-001",
        "Ashcombe Borough Council",
        "Ashcombe",
        "England",
        "demo-boroughs",
        (
            Reply(
                9,
                "text",
                "Dear Requester,\n\nIn response to your questions:\n\n"
                "1. Yes. The council's public space CCTV system includes equipment made by "
                "Hikvision and by Dahua.\n"
                "2. We operate 14 Hikvision cameras and 3 Dahua network video recorders.\n"
                "3. The council does not use facial recognition technology.\n"
                "4. There are no current plans to replace this equipment.\n\n"
                "Information Governance Team\nAshcombe Borough Council",
            ),
        ),
        Expected("answered", "yes", "yes", False, "no", 14, 3),
    ),
    FictionalCouncil(
        "DEMO-002",
        "Brackley Vale District Council",
        "Brackley Vale",
        "England",
        "demo-boroughs",
        (
            Reply(
                16,
                "pdf",
                "Please find our response to your request attached.",
                (
                    "Brackley Vale District Council",
                    "Freedom of Information response",
                    "",
                    "We can confirm that the council does not own or operate any equipment "
                    "manufactured by Hikvision or Dahua. Our CCTV cameras were supplied by Axis "
                    "Communications.",
                    "The council has never used facial recognition technology.",
                ),
            ),
        ),
        Expected("answered", "no", "no", False, "no"),
    ),
    FictionalCouncil(
        "DEMO-003",
        "Castlemere City Council",
        "Castlemere",
        "England",
        "demo-cities",
        (
            Reply(
                18,
                "scan",
                "Our response is in the attached letter.",
                (
                    "Castlemere City Council",
                    "Dear Requester,",
                    "The council operates 212 CCTV cameras, of which 180 are made by Hikvision.",
                    "None of the council's equipment is made by Dahua.",
                    "The council does not use facial recognition.",
                ),
            ),
        ),
        Expected("answered", "yes", "no", False, "no", 180, None),
    ),
    FictionalCouncil(
        "DEMO-004",
        "Dunholm Council",
        "Dunholm",
        "Scotland",
        "demo-cities",
        (
            Reply(1, "text", ACK),
            Reply(
                20,
                "register",
                "Dear Requester,\n\nThe council holds the information you asked for. Our CCTV "
                "asset register is attached; it lists every camera and recorder with its make. "
                "The council does not use facial recognition.\n\nFOI Officer, Dunholm Council",
                register_rows=(
                    ("CAM-001", "High Street", "Hikvision", "Camera"),
                    ("CAM-002", "High Street", "Hikvision", "Camera"),
                    ("CAM-003", "Market Square", "Hikvision", "Camera"),
                    ("CAM-004", "Bus Station", "Bosch", "Camera"),
                    ("CAM-005", "Bus Station", "Bosch", "Camera"),
                    ("CAM-006", "Harbour", "Hikvision", "Camera"),
                    ("NVR-001", "Control Room", "Dahua", "NVR"),
                    ("NVR-002", "Control Room", "Dahua", "NVR"),
                ),
            ),
        ),
        Expected("answered", "yes", "yes", False, "no", 4, 2),
    ),
    FictionalCouncil(
        "DEMO-005",
        "Eastbridge Borough Council",
        "Eastbridge",
        "England",
        "demo-boroughs",
        (
            Reply(
                19,
                "text",
                "Dear Requester,\n\nThe council holds information about its CCTV suppliers but "
                "it is withheld. We consider it exempt under section 24(1) (national security) "
                "and section 31(1)(a) (law enforcement) of the Freedom of Information Act 2000, "
                "and that the public interest favours withholding it.\n\nYou may ask for an "
                "internal review within 40 working days.",
            ),
        ),
        Expected("refused"),
    ),
    FictionalCouncil(
        "DEMO-006",
        "Fernhill City Council",
        "Fernhill",
        "England",
        "demo-cities",
        (Reply(0, "bounce", ""),),
        Expected("not_delivered"),
        bad_address=True,
    ),
    FictionalCouncil(
        "DEMO-007",
        "Glenbrae Council",
        "Glenbrae",
        "Scotland",
        "demo-cities",
        (),
        Expected("no_response"),
    ),
    FictionalCouncil(
        "DEMO-008",
        "Harwick Borough Council",
        "Harwick",
        "England",
        "demo-boroughs",
        (
            Reply(
                51,
                "text",
                "Dear Requester,\n\nWe apologise for the delay in answering your request.\n\n"
                "The council owns 9 HiWatch cameras, which are used at its depots. It has no "
                "Dahua equipment and does not use facial recognition.",
            ),
        ),
        Expected("answered", "yes", "no", False, "no", 9, None),
        tags=("late",),
    ),
    FictionalCouncil(
        "DEMO-009",
        "Kelmscott City Council",
        "Kelmscott",
        "England",
        "demo-cities",
        (
            Reply(
                12,
                "text",
                "Dear Requester,\n\nSome of the cameras in the council's older town centre "
                "system were made by either Hikvision or Dahua; our records do not say which of "
                "the two. The council does not use facial recognition.",
            ),
        ),
        Expected("answered", "unknown", "unknown", True, "no"),
    ),
    FictionalCouncil(
        "DEMO-010",
        "Lowmarsh District Council",
        "Lowmarsh",
        "England",
        "demo-boroughs",
        (
            Reply(
                14,
                "text",
                "Dear Requester,\n\n1. The council does not have any Hikvision or Dahua "
                "cameras.\n2. Not applicable.\n3. The council trialled live facial recognition "
                "at a festival in 2019. The trial ended and the system is no longer used.",
            ),
        ),
        Expected("answered", "no", "no", False, "past"),
    ),
    FictionalCouncil(
        "DEMO-011",
        "Marbury Borough Council",
        "Marbury",
        "England",
        "demo-boroughs",
        (
            Reply(
                8,
                "html",
                "<p>Dear Requester,</p><p>The council's car parks are covered by "
                "<b>40 Dahua cameras</b>. The council does not own any Hikvision equipment.</p>"
                "<p>The council does not use facial recognition.</p>",
            ),
        ),
        Expected("answered", "no", "yes", False, "no", None, 40),
    ),
    FictionalCouncil(
        "DEMO-012",
        "Northwold City Council",
        "Northwold",
        "Wales",
        "demo-cities",
        (
            Reply(2, "text", ACK),
            Reply(
                24,
                "text",
                "Dear Requester,\n\nThe council does not own any Hikvision or Dahua equipment. "
                "The council does not use facial recognition.",
            ),
        ),
        Expected("answered", "no", "no", False, "no"),
    ),
)

GROUPS = {
    "demo-boroughs": "Invented borough and district councils",
    "demo-cities": "Invented city councils",
}
SET_SLUG = "demo-councils"
