"""Public authorities, their contacts and named sets (a Django app)."""
