"""Facts extracted from a campaign's replies, and the people's review of them (a Django app)."""
