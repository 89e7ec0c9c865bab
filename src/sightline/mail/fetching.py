"""Fetching from IMAP into the inbox, remembering how far each mailbox has been read."""

from __future__ import annotations

from sightline.mail.imap import ImapMailbox, ImapSettings
from sightline.mail.inbox import Importer, ImportReport
from sightline.mail.models import MailboxState


def fetch_mailbox(settings: ImapSettings, batch_size: int = 100) -> ImportReport:
    """Import every message not fetched before. Each batch is stored and committed before the
    mailbox's last UID moves past it, so an interrupted fetch repeats work but never skips mail."""
    importer = Importer(batch_size=batch_size)
    try:
        return _fetch(settings, importer, batch_size)
    finally:
        importer.close()


def _fetch(settings: ImapSettings, importer: Importer, batch_size: int) -> ImportReport:
    with ImapMailbox(settings) as mailbox:
        state, _ = MailboxState.objects.get_or_create(key=settings.key)
        if state.uidvalidity != mailbox.uidvalidity:
            state.uidvalidity, state.last_uid = mailbox.uidvalidity, 0
            state.save()
        uids = mailbox.new_uids(state.last_uid)
        for done, (uid, raw) in enumerate(mailbox.fetch(uids), start=1):
            importer.add(raw, f"imap:{settings.key}#{uid}")
            if done % batch_size == 0:
                importer.flush()
                state.last_uid = uid
                state.save(update_fields=["last_uid", "updated_at"])
        importer.flush()
        if uids:
            state.last_uid = uids[-1]
            state.save(update_fields=["last_uid", "updated_at"])
    return importer.report
