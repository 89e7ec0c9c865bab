"""Status facts hold a request state's name: the three words that were not one are renamed
("partial", "acknowledgement", "clarification"), in what the rule said and in what review kept,
and in the values of the decisions that corrected them."""

from typing import Any

from django.db import migrations

RENAMED = {
    "partial": "partially_answered",
    "acknowledgement": "acknowledged",
    "clarification": "clarification_requested",
}


def _rename(apps: Any, schema_editor: Any, names: dict[str, str]) -> None:
    StoredFact = apps.get_model("review", "StoredFact")
    ReviewDecision = apps.get_model("review", "ReviewDecision")
    for fact in StoredFact.objects.filter(field="status"):
        value, final = names.get(fact.value, fact.value), names.get(fact.final_value, fact.final_value)
        if (value, final) != (fact.value, fact.final_value):
            fact.value, fact.final_value = value, final
            fact.save(update_fields=["value", "final_value"])
    for decision in ReviewDecision.objects.filter(fact__field="status"):
        if decision.value in names:
            decision.value = names[decision.value]
            decision.save(update_fields=["value"])


def forwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, schema_editor, RENAMED)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("review", "0002_redactions")]

    operations = [migrations.RunPython(forwards, backwards)]
