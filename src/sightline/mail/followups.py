"""The messages Sightline writes: the request e-mail itself and the built-in follow-up letters.

Follow-ups cite the law the request was made under:
- a reminder when the time limit has passed (FOIA s.10(1), EIR reg.5(2), FOISA s.10(1),
  EISR reg.5(2)(a));
- a request for internal review (the FOIA s.45 code of practice, EIR reg.11, FOISA s.20,
  EISR reg.16);
- a complaint to the regulator: the Information Commissioner's Office for FOIA (s.50) and EIR
  (reg.18), the Scottish Information Commissioner for FOISA (s.47) and EISR (reg.17).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sightline.law import Law, rules_for
from sightline.mail.outgoing import request_subject


class LetterKind(StrEnum):
    REMINDER = "reminder"
    INTERNAL_REVIEW = "internal-review"
    COMPLAINT = "complaint"


def review_authority(law: Law) -> str:
    """Where the right to a review comes from, as a phrase."""
    rules = rules_for(law)
    if law is Law.FOIA:  # FOIA itself has no review duty; the s.45 code of practice sets one
        return f"the code of practice issued under section 45 of the {rules.title}"
    return f"{rules.review_provision} of the {rules.title}"


@dataclass(frozen=True)
class FollowUpFields:
    authority_name: str
    reference: str
    law: Law
    title: str
    requester_name: str
    sent_on: date | None
    due: date | None  # from sightline.law, for the request's law, receipt day and extension
    state: str
    limit_days: int = 20  # the working days the due date allows (40 when extended)
    review_requested_on: date | None = None
    review_due: date | None = None  # from sightline.law: the review's own time limit

    @property
    def limit_text(self) -> str:
        return ORDINALS.get(self.limit_days, f"{self.limit_days}th")

    @property
    def sent_text(self) -> str:
        return self.sent_on.strftime("%-d %B %Y") if self.sent_on else "(not yet sent)"

    @property
    def due_text(self) -> str:
        return self.due.strftime("%-d %B %Y") if self.due else "(no due date)"


ORDINALS = {20: "twentieth", 40: "fortieth"}


def _day(value: date) -> str:
    return value.strftime("%-d %B %Y")


def _signature(fields: FollowUpFields) -> str:
    return (
        f"Yours faithfully,\n\n{fields.requester_name}"
        if fields.requester_name
        else ("Yours faithfully")
    )


def follow_up(kind: LetterKind, fields: FollowUpFields) -> tuple[str, str]:
    """The subject and body of a follow-up letter."""
    rules = rules_for(fields.law)
    original = request_subject(fields.law, fields.title, fields.reference)
    about = (
        f"my request for information under {rules.request_provision} of the {rules.title}, "
        f"sent on {fields.sent_text} (reference {fields.reference})"
    )
    if kind is LetterKind.REMINDER:
        subject = f"Reminder: {original}"
        body = (
            f"Dear {fields.authority_name},\n\n"
            f"I am writing about {about}.\n\n"
            f"Under {rules.time_limit_provision} of the {rules.title} a response was due no "
            f"later than the {fields.limit_text} working day after receipt, which was "
            f"{fields.due_text}. I have not yet received a response.\n\n"
            "Please send your response as soon as possible. If you have already replied, "
            f"please send it again quoting reference {fields.reference}.\n\n"
        )
    elif kind is LetterKind.INTERNAL_REVIEW:
        subject = f"Internal review: {original}"
        # The review's own time limit (FOISA s.21(1), EIR reg.11(4), EISR reg.16(4), FOIA the
        # s.45 Code), worked out by sightline.law.
        where = (
            "the section 45 Code of Practice"
            if fields.law is Law.FOIA
            else f"{rules.review_time_provision} of the {rules.title}"
        )
        review_line = (
            f"Under {where} I expect your decision by {_day(fields.review_due)}.\n\n"
            if fields.review_due
            else ""
        )
        body = (
            f"Dear {fields.authority_name},\n\n"
            f"Please pass this to the person who conducts internal reviews.\n\n"
            f"I am writing to request an internal review, under {review_authority(fields.law)}, "
            f"of {fields.authority_name}'s handling of {about}.\n\n"
            + (
                f"I have had no response, and the time limit passed on {fields.due_text}. "
                if fields.state in ("sent", "acknowledged")
                else f"The request currently stands as: {fields.state.replace('_', ' ')}. "
            )
            + "I ask you to review that outcome and, where information has been withheld or not "
            "provided, to release it or explain fully which provisions you rely on and why.\n\n"
            + review_line
        )
    else:
        subject = (
            f"Complaint to the {rules.regulator}: {fields.authority_name} [{fields.reference}]"
        )
        body = (
            f"Dear {rules.regulator},\n\n"
            f"I wish to make a complaint under {rules.regulator_provision} of the {rules.title} "
            f"about how {fields.authority_name} has dealt with {about}.\n\n"
            f"The response was due by {fields.due_text}."
            + (
                f" I asked for an internal review on {_day(fields.review_requested_on)}"
                + (f", due by {_day(fields.review_due)}" if fields.review_due else "")
                + "."
                if fields.review_requested_on
                else ""
            )
            + f" The request currently stands as: {fields.state.replace('_', ' ')}. I ask you to decide whether the authority has "
            f"dealt with the request in accordance with Part 1 of the "
            f"{rules_for(Law.FOISA if rules.scottish else Law.FOIA).title}"
            f"{' and the ' + rules.title if fields.law in (Law.EIR, Law.EISR) else ''}.\n\n"
        )
    return subject, body + _signature(fields) + "\n"


def withdrawal(fields: FollowUpFields) -> tuple[str, str]:
    """The letter withdrawing a request."""
    rules = rules_for(fields.law)
    original = request_subject(fields.law, fields.title, fields.reference)
    body = (
        f"Dear {fields.authority_name},\n\n"
        f"I withdraw my request for information under {rules.request_provision} of the "
        f"{rules.title}, sent on {fields.sent_text} (reference {fields.reference}). Please take "
        "no further action on it.\n\n"
    )
    return f"Withdrawn: {original}", body + _signature(fields) + "\n"
