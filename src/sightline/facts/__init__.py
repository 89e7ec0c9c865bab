"""Facts: what an authority disclosed (vendors, counts, facial recognition, exemptions), each
with its evidence. ``extract(document)`` runs every rule; ``contract_json`` gives the
extract-file JSON shape."""

from sightline.facts.contract import contract_json
from sightline.facts.extract import extract
from sightline.facts.model import Evidence, Extraction, Fact

__all__ = ["Evidence", "Extraction", "Fact", "contract_json", "extract"]
