"""One reading of every received message: raw bytes in, one parsed ``Reply`` out.

``read_reply`` parses (``reader``); ``Reply.kind`` and ``Reply.reading`` judge what kind of
message it is and what it says, in the request lifecycle's state names (``reading``). The mail
import, the timeline, the web's message and download views and the documents reader all read
messages through here.
"""

from sightline.replies.names import display_name
from sightline.replies.reader import Attachment, Bounce, MalformedMessage, Reply, read_reply
from sightline.replies.reading import Kind, Reading

__all__ = [
    "Attachment",
    "Bounce",
    "Kind",
    "MalformedMessage",
    "Reading",
    "Reply",
    "display_name",
    "read_reply",
]
