"""Disputes between reviewers: read from the append-only decisions, settled by a third."""

import pytest

from sightline.authorities.registry import load_builtin
from sightline.campaigns.service import create_campaign
from sightline.facts import Evidence, Extraction, Fact
from sightline.review.models import ReviewDecision
from sightline.review.service import ReviewError, store_extraction
from sightline.review.workflow import dispute_of, pending_queue, review, second_opinion_queue


def decision(reviewer, kind, value=None):
    return ReviewDecision(reviewer=reviewer, decision=kind, value=value)


def test_dispute_of_a_log():
    assert dispute_of([]) is None
    assert dispute_of([decision("ann", "confirm"), decision("bob", "confirm")]) is None
    # Ann changes her mind alone: no dispute.
    assert dispute_of([decision("ann", "confirm"), decision("ann", "reject")]) is None
    found = dispute_of([decision("ann", "confirm"), decision("bob", "reject")])
    assert found is not None and found.parties == ("ann", "bob")
    # Two corrections to different values disagree; to the same value they agree.
    assert dispute_of([decision("ann", "correct", 3), decision("bob", "correct", 4)]) is not None
    assert dispute_of([decision("ann", "correct", 3), decision("bob", "correct", 3)]) is None
    # A third reviewer settles it, whichever side she takes.
    settled = [decision("ann", "confirm"), decision("bob", "reject"), decision("cy", "reject")]
    assert dispute_of(settled) is None
    # Ann disagreeing again with the settled answer opens a new dispute, between Ann and Cy.
    reopened = dispute_of([*settled, decision("ann", "confirm")])
    assert reopened is not None and reopened.parties == ("cy", "ann")
    # Bob coming round to Ann's view ends the dispute too.
    assert dispute_of([decision("ann", "confirm"), decision("bob", "reject"),
                       decision("bob", "confirm")]) is None  # fmt: skip


@pytest.mark.django_db
def test_review_holds_a_disputed_fact_until_a_third_reviewer():
    load_builtin()
    campaign = create_campaign("cctv", "london-boroughs", "Dear {authority_name}\n", "CCTV")
    request = campaign.requests.first()
    (fact,) = store_extraction(
        request,
        None,
        Extraction("t", [Fact("owned", "yes", [Evidence("we own", "body")], "r", 0.9, "dahua")]),
        "doc",
    )
    assert list(pending_queue(campaign)) == [fact]
    made, dispute = review(fact, "confirm", "ann")
    assert (made.decision, dispute) == ("confirm", None)
    assert list(pending_queue(campaign)) == []
    assert list(second_opinion_queue(campaign, "bob")) == [fact]
    assert list(second_opinion_queue(campaign, "ann")) == []
    _, dispute = review(fact, "correct", "bob", "no")
    assert dispute is not None and dispute.parties == ("ann", "bob")
    fact.refresh_from_db()
    assert fact.status == "pending"
    assert list(pending_queue(campaign)) == [fact]
    with pytest.raises(ReviewError) as error:
        review(fact, "confirm", "ann")
    assert (
        str(error.value) == f"ann and bob disagree on fact #{fact.pk}: a third reviewer decides it"
    )
    with pytest.raises(ReviewError) as error:
        review(fact, "maybe", "cy")
    assert str(error.value) == "unknown decision 'maybe': confirm, correct or reject"
    _, dispute = review(fact, "correct", "cy", "no")
    fact.refresh_from_db()
    assert (dispute, fact.status, fact.final_value) == (None, "corrected", "no")
    assert fact.decisions.count() == 3
