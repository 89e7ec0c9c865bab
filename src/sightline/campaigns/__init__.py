"""Campaigns, their requests and each request's event log (a Django app)."""
