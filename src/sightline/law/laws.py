"""The access-to-information laws Sightline works under, and what each says about time.

Sources:
- Freedom of Information Act 2000 (FOIA) s.10(1): respond "not later than the twentieth working
  day following the date of receipt"; s.10(6): a working day excludes Saturdays, Sundays, Christmas
  Day and bank holidays under the Banking and Financial Dealings Act 1971 "in any part
  of the United Kingdom". s.50: complaint to the Information Commissioner (ICO).
- Environmental Information Regulations 2004 (EIR) reg.5(2): 20 working days; reg.7(1): extended
  to 40 for complex and voluminous requests; reg.2(1) uses the FOIA definition of working day;
  reg.11: internal review ("representations"); reg.18 applies FOIA s.50 (ICO).
- Freedom of Information (Scotland) Act 2002 (FOISA) s.10(1): twentieth working day after receipt;
  s.73: a working day excludes Saturdays, Sundays, Christmas Day and bank holidays "in Scotland";
  s.20: requirement for review; s.47: application to the Scottish Information Commissioner.
- Environmental Information (Scotland) Regulations 2004 (EISR) reg.5(2)(a): 20 working days;
  reg.7(1): extended to 40; reg.2(1) takes the FOISA definition; reg.16: review; reg.17 applies
  FOISA Part 4 (Scottish Information Commissioner).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sightline.errors import SightlineError


class Law(StrEnum):
    FOIA = "foia"
    EIR = "eir"
    FOISA = "foisa"
    EISR = "eisr"


class HolidayScope(StrEnum):
    """Whose bank holidays stop the clock."""

    ANY_UK_NATION = "any UK nation"
    SCOTLAND = "Scotland"


@dataclass(frozen=True)
class LawRules:
    law: Law
    short_name: str
    title: str
    request_provision: str  # where the right of access is
    time_limit_provision: str
    working_day_provision: str
    holiday_scope: HolidayScope
    response_days: int
    extended_days: int
    extension_provision: str
    review_provision: str
    regulator: str
    regulator_provision: str
    scottish: bool
    # Internal review: the working days an authority has to decide it, the most it may take,
    # and where that comes from.
    review_days: int = 20
    review_max_days: int = 20
    review_time_provision: str = ""
    # Whether the time limit may be extended at all (FOISA sets no extension).
    extendable: bool = True
    # Where a request for clarification stops the clock, and the answer starts it again.
    clarification_provision: str = ""


LAWS: dict[Law, LawRules] = {
    Law.FOIA: LawRules(
        law=Law.FOIA,
        short_name="FOIA",
        title="Freedom of Information Act 2000",
        request_provision="section 1",
        time_limit_provision="section 10(1)",
        working_day_provision="section 10(6)",
        holiday_scope=HolidayScope.ANY_UK_NATION,
        response_days=20,
        # s.10(3) allows a "reasonable" extension to consider the public interest; the ICO's
        # guidance treats 20 further working days as the most that is normally reasonable.
        extended_days=40,
        extension_provision="section 10(3)",
        review_provision="section 45 code of practice (internal review)",
        regulator="Information Commissioner's Office",
        regulator_provision="section 50",
        scottish=False,
        # The s.45 Code of Practice (2018), part 5: internal reviews within 20 working days,
        # and no more than 40 in exceptional cases.
        review_days=20,
        review_max_days=40,
        review_time_provision="the section 45 Code of Practice",
        # s.1(3): the authority need not comply until it has the further information it asked
        # for; s.10(6)(b) makes the "date of receipt" the day that information arrives.
        clarification_provision="section 1(3)",
    ),
    Law.EIR: LawRules(
        law=Law.EIR,
        short_name="EIR",
        title="Environmental Information Regulations 2004",
        request_provision="regulation 5(1)",
        time_limit_provision="regulation 5(2)",
        working_day_provision="regulation 2(1)",
        holiday_scope=HolidayScope.ANY_UK_NATION,
        response_days=20,
        extended_days=40,
        extension_provision="regulation 7(1)",
        review_provision="regulation 11",
        regulator="Information Commissioner's Office",
        regulator_provision="regulation 18 (applying FOIA section 50)",
        scottish=False,
        # reg.11(4): the review decision within 40 working days of the representations.
        review_days=40,
        review_max_days=40,
        review_time_provision="regulation 11(4)",
        # reg.9(4): the time runs again from the clarification.
        clarification_provision="regulation 9(4)",
    ),
    Law.FOISA: LawRules(
        law=Law.FOISA,
        short_name="FOISA",
        title="Freedom of Information (Scotland) Act 2002",
        request_provision="section 1",
        time_limit_provision="section 10(1)",
        working_day_provision="section 73",
        holiday_scope=HolidayScope.SCOTLAND,
        response_days=20,
        # FOISA has no public-interest extension (``extendable`` is False); 40 stays as the
        # point past which a request counts as long overdue.
        extended_days=40,
        extension_provision="none (FOISA sets no extension)",
        review_provision="section 20",
        regulator="Scottish Information Commissioner",
        regulator_provision="section 47",
        scottish=True,
        # s.21(1): the review within 20 working days of receiving the requirement for review.
        review_days=20,
        review_max_days=20,
        review_time_provision="section 21(1)",
        extendable=False,
        # s.1(3): further information reasonably required; the time runs from its receipt
        # (s.10(1)(b)).
        clarification_provision="section 1(3)",
    ),
    Law.EISR: LawRules(
        law=Law.EISR,
        short_name="EISR",
        title="Environmental Information (Scotland) Regulations 2004",
        request_provision="regulation 5(1)",
        time_limit_provision="regulation 5(2)(a)",
        working_day_provision="regulation 2(1)",
        holiday_scope=HolidayScope.SCOTLAND,
        response_days=20,
        extended_days=40,
        extension_provision="regulation 7(1)",
        review_provision="regulation 16",
        regulator="Scottish Information Commissioner",
        regulator_provision="regulation 17 (applying FOISA Part 4)",
        scottish=True,
        # reg.16(4): the review decision within 20 working days.
        review_days=20,
        review_max_days=20,
        review_time_provision="regulation 16(4)",
        # reg.9(4): the time runs again from the clarification.
        clarification_provision="regulation 9(4)",
    ),
}


class UnknownLawError(SightlineError, ValueError):
    pass


def parse_law(name: str) -> Law:
    """The law named by ``name`` (case-insensitive: foia, eir, foisa, eisr)."""
    try:
        return Law(name.strip().lower())
    except ValueError:
        choices = ", ".join(law.value for law in Law)
        raise UnknownLawError(f"unknown law {name!r}: choose one of {choices}") from None


def rules_for(law: Law | str) -> LawRules:
    return LAWS[law if isinstance(law, Law) else parse_law(law)]


def law_for_nation(nation: str) -> Law:
    """Scottish public authorities answer under FOISA; the rest of the UK under FOIA."""
    return Law.FOISA if nation.strip().lower() == "scotland" else Law.FOIA
