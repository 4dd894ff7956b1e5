"""Copying assets into an edition: images lose their metadata on the way to the public site.

EXIF, XMP, IPTC and text chunks can carry GPS positions, a camera owner's name or a caption meant
for staff. They are removed without decoding the image (no loss of quality): JPEG APP1/APP13
segments and comments, PNG text, time and EXIF chunks. Other files are copied as they are (the
leak guard still reads them).
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

_JPEG_DROP = {0xE1, 0xED, 0xFE}  # APP1 (EXIF, XMP), APP13 (IPTC), COM
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the image data follows, copy the rest
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segment = data[pos:pos + 2 + length]
        if marker not in _JPEG_DROP:
            out += segment
        pos += 2 + length
    out += data[pos:]
    return bytes(out)


def strip_png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        return data
    out = bytearray(signature)
    pos = len(signature)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        chunk = data[pos:pos + 12 + length]
        if kind not in _PNG_DROP:
            out += chunk
        pos += 12 + length
    return bytes(out)


def copy_asset(source: Path, target: Path, strip: bool) -> None:
    """Copy one asset; with ``strip``, drop the metadata of JPEG and PNG images."""
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = source.suffix.lower()
    if strip and suffix in (".jpg", ".jpeg"):
        target.write_bytes(strip_jpeg(source.read_bytes()))
    elif strip and suffix == ".png":
        target.write_bytes(strip_png(source.read_bytes()))
    else:
        shutil.copyfile(source, target)
