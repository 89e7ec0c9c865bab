"""Text from pictures of text (scanned letters, photographed forms) with tesseract."""

from __future__ import annotations

import io
import os

import pytesseract
from PIL import Image, ImageSequence

from sightline.documents import cputime
from sightline.documents.limits import Limits, Unreadable
from sightline.documents.model import Block, Document, Location

MIN_SIDE = 100  # smaller pictures (icons, logos in signatures) carry no letter worth reading
MAX_FRAMES = 200


def recognise(image: Image.Image, limits: Limits) -> str:
    """Tesseract's text for one image (English), single-threaded: workers already use every core."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    # the parent process stops a reading that uses more than ``limits.seconds`` of processor
    # time; this wall-clock limit only ends a tesseract that hangs
    wall = limits.wall_seconds(counted_in_cpu=cputime.available())
    try:
        text = pytesseract.image_to_string(image, lang="eng", timeout=wall)
    except pytesseract.TesseractNotFoundError as error:
        raise Unreadable("OCR is not available: the tesseract program is not installed") from error
    except pytesseract.TesseractError as error:
        if "malloc fail" in str(error.message):
            raise Unreadable(
                f"OCR failed: tesseract needed more than {limits.memory_mb} MB"
            ) from error
        raise Unreadable(f"OCR failed: tesseract exit status {error.status}") from error
    except RuntimeError as error:  # pytesseract's timeout
        raise Unreadable(
            f"OCR stopped: no answer from tesseract after {wall:g} s", detail=str(error)
        ) from None
    return str(text)


def read_image(data: bytes, limits: Limits) -> Document:
    """OCR every frame of a PNG, JPEG, TIFF (multi-page fax), GIF or BMP image."""
    Image.MAX_IMAGE_PIXELS = limits.image_pixels
    document = Document(source="", kind="image")
    try:
        picture = Image.open(io.BytesIO(data))
        frames = [
            frame.copy()
            for _, frame in zip(range(MAX_FRAMES), ImageSequence.Iterator(picture), strict=False)
        ]
    except Image.DecompressionBombError as error:
        raise Unreadable(
            f"image refused: more than {limits.image_pixels:,} pixels (a decompression bomb?)",
            detail=str(error),
        ) from None
    except (OSError, ValueError, SyntaxError) as error:
        raise Unreadable("damaged image: its pixels cannot be decoded", detail=str(error)) from None
    if not limits.ocr:
        return document
    many = len(frames) > 1
    for number, frame in enumerate(frames, start=1):
        if min(frame.size) < MIN_SIDE:
            continue
        text = recognise(frame, limits).strip()
        text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
        if text:
            location = Location(page=number) if many else Location()
            document.blocks.append(Block(text, location, ocr=True))
    return document
