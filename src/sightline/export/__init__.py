"""The correspondence as evidence: a zip archive of every message with a manifest of hashes."""
