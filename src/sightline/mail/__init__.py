"""Mail for campaigns: the outbox that sends each request once, and the inbox that takes in,
stores, matches and tracks every reply.

Plain-Python core (no Django): addresses, parsing, rawstore, matching, classify, smtp, imap,
followups. Django glue: models, outbox, inbox, tracking.
"""
