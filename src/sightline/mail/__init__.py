"""Mail for campaigns: the outbox that sends each request once, and the inbox that takes in,
stores, matches and tracks every reply.

Plain-Python core (no Django): addresses, rawstore, matching, smtp, imap, followups; every
message is read by ``sightline.replies``. Django glue: models, outbox, inbox, tracking.
"""
