"""How much one untrusted file may cost to read, and the error raised when it asks for more."""

from __future__ import annotations

from dataclasses import dataclass

from sightline.errors import SightlineError

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on reading one file. A file that passes one gets a ``ReadError``, never a crash."""

    # processor time for one file (or one slice of a PDF's pages): the worker's and tesseract's
    seconds: float = 120.0
    memory_mb: int = 2048  # address space of a worker process (RLIMIT_AS)
    pages: int = 2000  # PDF pages read from one file
    file_mb: int = 256  # larger files (and archive members) are not read at all
    depth: int = 5  # attachments inside archives inside messages...
    ratio: float = 100.0  # archive expansion: uncompressed bytes per compressed byte
    expanded_mb: int = 512  # total bytes one archive may expand to
    members: int = 10000  # files in one archive
    ocr: bool = True  # recognise text on scanned pages and images with tesseract
    ocr_dpi: int = 300
    image_pixels: int = 80_000_000  # larger images are refused (decompression bombs)

    # archives this small cannot be bombs whatever their ratio (a 3 KB file of spaces is fine)
    ratio_floor_mb: int = 10

    def wall_seconds(self, counted_in_cpu: bool) -> float:
        """The wall-clock limit: ``seconds`` itself where processor time cannot be measured;
        else a backstop (three times that, plus 30 s) for a reader stuck without using any."""
        return 3 * self.seconds + 30 if counted_in_cpu else self.seconds


class LimitExceeded(SightlineError):
    """A file breaks one of the ``Limits``; the message says which and by how much."""


class Unreadable(SightlineError):
    """A file that cannot be read for a reason worth telling the user (encrypted, corrupt...)."""
