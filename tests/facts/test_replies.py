"""Whole replies written for these tests (not from any real or dev-set document), with every
field of the contract checked: the rules must work on wording they were not tuned on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Facts = Callable[..., dict[str, Any]]

R1 = """\
Harbourside Borough Council
Information Governance
Our ref: HBC/IR/2291

Dear Ms Okafor

Thank you for your request for information which we received on 2 February. Your request and our response are set out below.

Question 1: Does the council own or lease any CCTV cameras or recorders manufactured by Hikvision?
Answer: Yes. There are 38 Hikvision cameras across our car parks, plus 4 Hikvision DVRs.

Question 2: Does the council own or lease any CCTV cameras or recorders manufactured by Dahua?
Answer: We do not have any Dahua devices.

Question 3: Does the council use live facial recognition?
Answer: No.

Question 4: Is there a plan to remove or replace the Hikvision equipment?
Answer: The car park system is due to be replaced in the 2026/27 financial year.

If you are unhappy with this response you can ask for an internal review.
"""

R2 = """\
WESTFORD CONSTABULARY - FREEDOM OF INFORMATION

Request reference 0456/24

Your request:
"Please confirm how many cameras made by Hikvision or Dahua are used on police premises, and whether the force uses retrospective facial recognition."

Decision:
Westford Constabulary can confirm that retrospective facial recognition searches are carried out by the force using the Police National Database.

In respect of the camera manufacturers, the force will neither confirm nor deny whether it holds the information, by virtue of sections 24(2) (national security) and 31(3) (law enforcement) of the Act.

No inference should be drawn from this.
"""

R3 = """\
Hello,

Further to your FOI request about CCTV manufacturers, I can tell you that the college runs 64 cameras in total. Of these, 40 are Axis, 20 are Hanwha Wisenet and 4 are older Hikvison units in the sports hall which are scheduled for removal this summer. We have never bought Dahua products.

We have never trialled or used facial recognition.

Regards
Estates Office
"""

R4 = """\
Dear Requester,

RE: FOI 24-1189 Chinese-manufactured surveillance equipment

We have now completed our searches. The Trust's estates team does not keep a central record of which company manufactured each camera; the cameras were installed by several contractors over fifteen years. To find out, staff would need to visit every site and check every unit, which we estimate would take over 40 hours. This exceeds the appropriate limit of 18 hours and section 12 of the Freedom of Information Act 2000 therefore applies.

You may wish to narrow your request to the main hospital site.
"""

R5 = """\
Kestrel Vale District Council

FOI 3391 - Response

The Council has a small number of CCTV cameras at its depot and offices. These were supplied by either Hikvision or Dahua; our records do not say which.

The Council does not use facial recognition technology.
"""

R6 = """\
Dear Mr Byrne

Thank you for your request of 12 June. We are dealing with it under the Environmental Information Regulations 2004 as it concerns the state of the built environment.

The camera specifications you asked for are withheld under regulation 12(5)(a) (public safety). The number of cameras is not withheld: there are 212 cameras on the highway network.

Yours sincerely
Traffic Management
"""

R7 = """\
Q1 How many CCTV cameras does the council operate?
A1 The council operates 85 cameras in its public space CCTV system.
Q2 Please list the manufacturers.
A2 Avigilon (52), Pelco (21) and Hikvision (12).
Q3 Does the council use any cameras made by Dahua?
A3 No
Q4 Are there any plans to replace equipment?
A4 Not at this time.
"""

R8 = """\
Dear Ms Patel,

Thank you for your request dated 4 March 2024. I am writing to let you know that we need to extend the deadline for our reply by a further 20 working days in order to consider the public interest test. We consider that section 31 (law enforcement) and section 38 (health and safety) may apply.

We expect to respond by 30 April 2024.
"""

A1 = """\
Freedom of Information Request FOI/2023/551

1. Please state whether the Authority has any surveillance cameras produced by Hikvision, Dahua or their subsidiaries (e.g. EZVIZ, Imou).

The Authority has 3 Imou cameras in the staff car park. It has no Hikvision or EZVIZ equipment.

2. If yes, please say whether these devices are connected to the internet.

They are connected to the corporate network.
"""

A2 = """\
Dear Sir/Madam

We have checked our asset database. The Council currently operates 1,204 CCTV cameras. 312 of these cameras are manufactured by Hikvision. No cameras manufactured by Dahua are in use.

The Hikvision cameras were procured through a framework agreement in 2016. In light of government guidance, the Council has decided to replace them over the next three years.

Yours faithfully
"""

A3 = """\
Response to your request

We can confirm that Lowfield Police does use facial recognition. Operator initiated facial recognition (OIFR) is available to officers on their phones.

We are unable to tell you which manufacturers supplied the force's CCTV, as this information is exempt under Section 24(1) and Section 31(1)(a) of the Freedom of Information Act.
"""

A4 = """\
Subject: Re: FOI - CCTV makes

Hi,

Our CCTV is a mixed estate. From our asset records:

Hikvision: 14
Dahua: 0
Bosch: 22
Axis: 9

We don't use facial recognition and we're not planning to.

Thanks
"""

A5 = """\
Thank you for your enquiry.

In response to part (a), the Council does not own any CCTV equipment made by Hikvision. In response to part (b), the Council does own equipment made by Dahua, namely 2 NVRs at the waste depot. In response to part (c), the Council has no plans to replace the Dahua NVRs at the present time.
"""

A6 = """\
PORTHAVEN CITY COUNCIL - INFORMATION REQUEST 7781

We have considered your request and have decided to refuse it in full. The Council considers that answering the request would require a disproportionate effort and the request is therefore manifestly unreasonable under regulation 12(4)(b) of the Environmental Information Regulations 2004.
"""

A7 = """\
Your questions and our answers

Do you have any Hikvision cameras? We had a small number of Hikvision cameras at the bus station but these were taken down and replaced with Axis cameras in 2022. We now have no Hikvision cameras.

Do you have any Dahua cameras? We do not know. The bus station CCTV is maintained by a contractor and we do not record the make of their equipment.
"""

A8 = """\
Dear Mr Quinn

I can confirm that the University holds information relevant to your request. Please find the information below.

The University has 450 CCTV cameras. The University does not hold a breakdown of cameras by manufacturer, although we are aware that some are made by Hikvision. We do not believe that any are made by Dahua, but cannot confirm this.
"""

C1 = """\
CCTV manufacturers

Response by Greyfield Council to Sam Doyle on 4 May 2023.

Successful.

Dear Greyfield Council,

Please tell me how many of your CCTV cameras are made by Hikvision or Dahua.

Yours faithfully,

Sam Doyle

Dear Sam Doyle,

Thank you for your request. The council has 20 Hikvision cameras. It does not have any Dahua cameras.

Kind regards,
Information Team
"""

C2 = """\
Internal review - FOI 5531

I have reviewed the handling of your request for the makes and models of the force's ANPR and CCTV cameras. I have concluded that the original response was correct. The information remains exempt under sections 24(1) and 31(1)(a), and the public interest favours withholding it.
"""

C3 = """\
The council's CCTV cameras are manufactured by a range of suppliers, including Hikvision and Panasonic.
"""

C5 = """\
The Council is not able to confirm whether any of its cameras are manufactured by Hikvision or Dahua, as this information is not held.
"""

C6 = """\
Please see below.

Hikvision cameras in use: 0
Dahua cameras in use: 3 (all at the cemetery)
"""

C7 = """\
Body worn video cameras used by the force are supplied by Reveal Media. The force does not have any Hikvision or Dahua cameras.
"""

C8 = """\
In answer to your question, yes, the council does own some Dahua equipment (11 cameras), but no Hikvision.
"""

CASES = [
    pytest.param(
        R1,
        {
            "status": "answered",
            "hikvision": ("yes", 42, ["camera", "dvr"]),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "no",
            "exemptions": [],
            "replacement": "yes",
        },
        id="harbourside_qa_with_counts",
    ),
    pytest.param(
        R2,
        {
            "status": "partial",
            "hikvision": ("unknown", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "yes",
            "exemptions": ["FOIA s.24", "FOIA s.31"],
            "replacement": "unstated",
        },
        id="force_ncnd_on_makers_but_uses_rfr",
    ),
    pytest.param(
        R3,
        {
            "status": "answered",
            "hikvision": ("yes", 4, ["camera"]),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "no",
            "exemptions": [],
            "replacement": "yes",
        },
        id="college_counts_by_maker_with_ocr_slip",
    ),
    pytest.param(
        R4,
        {
            "status": "refused",
            "hikvision": ("unknown", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": ["FOIA s.12"],
            "replacement": "unstated",
        },
        id="trust_cost_refusal_on_makers",
    ),
    pytest.param(
        R5,
        {
            "status": "answered",
            "hikvision": ("unknown", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": True,
            "fr": "no",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="district_either_or",
    ),
    pytest.param(
        R6,
        {
            "status": "partial",
            "hikvision": ("unstated", None, []),
            "dahua": ("unstated", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": ["EIR reg.12(5)(a)"],
            "replacement": "unstated",
        },
        id="eir_partial_refusal",
    ),
    pytest.param(
        R7,
        {
            "status": "answered",
            "hikvision": ("yes", 12, ["camera"]),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "no",
        },
        id="q_a_numbered_with_maker_list",
    ),
    pytest.param(
        R8,
        {
            "status": "acknowledgement",
            "hikvision": ("unstated", None, []),
            "dahua": ("unstated", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": ["FOIA s.31", "FOIA s.38"],
            "replacement": "unstated",
        },
        id="extension_letter",
    ),
    pytest.param(
        A1,
        {
            "status": "answered",
            "hikvision": ("no", None, []),
            "dahua": ("yes", 3, ["camera"]),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="sub_brand_imou_and_negated_ezviz",
    ),
    pytest.param(
        A2,
        {
            "status": "answered",
            "hikvision": ("yes", 312, ["camera"]),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "yes",
        },
        id="large_counts_and_replacement",
    ),
    pytest.param(
        A3,
        {
            "status": "partial",
            "hikvision": ("unknown", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "yes",
            "exemptions": ["FOIA s.24", "FOIA s.31"],
            "replacement": "unstated",
        },
        id="oifr_and_withheld_makers",
    ),
    pytest.param(
        A4,
        {
            "status": "answered",
            "hikvision": ("yes", 14, ["camera"]),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "no",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="maker_list_from_records",
    ),
    pytest.param(
        A5,
        {
            "status": "answered",
            "hikvision": ("no", None, []),
            "dahua": ("yes", 2, ["nvr"]),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "no",
        },
        id="parts_a_b_c_namely_two_nvrs",
    ),
    pytest.param(
        A6,
        {
            "status": "refused",
            "hikvision": ("unstated", None, []),
            "dahua": ("unstated", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": ["EIR reg.12(4)(b)"],
            "replacement": "unstated",
        },
        id="eir_manifestly_unreasonable",
    ),
    pytest.param(
        A7,
        {
            "status": "partial",
            "hikvision": ("no", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="removed_cameras_and_unknown_maker",
    ),
    pytest.param(
        A8,
        {
            "status": "partial",
            "hikvision": ("yes", None, ["camera"]),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="hedged_answers",
    ),
    pytest.param(
        C1,
        {
            "status": "answered",
            "hikvision": ("yes", 20, ["camera"]),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="request_thread_page",
    ),
    pytest.param(
        C2,
        {
            "status": "refused",
            "hikvision": ("unknown", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": ["FOIA s.24", "FOIA s.31"],
            "replacement": "unstated",
        },
        id="internal_review_upheld",
    ),
    pytest.param(
        C3,
        {
            "status": "answered",
            "hikvision": ("yes", None, ["camera"]),
            "dahua": ("unstated", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="range_of_suppliers",
    ),
    pytest.param(
        C5,
        {
            "status": "not_held",
            "hikvision": ("unknown", None, []),
            "dahua": ("unknown", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="cannot_confirm_not_held",
    ),
    pytest.param(
        C6,
        {
            "status": "answered",
            "hikvision": ("no", None, []),
            "dahua": ("yes", 3, ["camera"]),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="field_lines_with_counts",
    ),
    pytest.param(
        C7,
        {
            "status": "answered",
            "hikvision": ("no", None, []),
            "dahua": ("no", None, []),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="body_worn_supplier_and_none",
    ),
    pytest.param(
        C8,
        {
            "status": "answered",
            "hikvision": ("no", None, []),
            "dahua": ("yes", 11, ["camera"]),
            "unspecified": False,
            "fr": "unstated",
            "exemptions": [],
            "replacement": "unstated",
        },
        id="count_in_brackets",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_whole_reply(facts: Facts, text: str, expected: dict[str, Any]) -> None:
    result = facts(text)
    got = {
        "status": result["status"],
        "hikvision": tuple(
            result["vendors"]["hikvision"][k] for k in ("owned", "count", "device_types")
        ),
        "dahua": tuple(result["vendors"]["dahua"][k] for k in ("owned", "count", "device_types")),
        "unspecified": result["hikvision_or_dahua_unspecified"],
        "fr": result["facial_recognition"],
        "exemptions": result["exemptions"],
        "replacement": result["replacement_plan"],
    }
    assert got == expected


def test_other_vendors_in_a_maker_list(facts: Facts) -> None:
    result = facts(R7)
    assert {v: (f["owned"], f["count"]) for v, f in result["vendors"].items()} == {
        "hikvision": ("yes", 12),
        "dahua": ("no", None),
        "avigilon": ("yes", 52),
        "pelco": ("yes", 21),
    }
