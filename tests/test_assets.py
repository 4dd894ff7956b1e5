"""Image metadata never reaches the public edition; the image itself is untouched."""

from __future__ import annotations

import struct
import zlib

from generator.media.assets import strip_jpeg, strip_png
from tests.test_vectors import PNG

SECRET = "内部说明：拍摄于监区三楼".encode()


def png_with_text() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    iend = PNG.rindex(b"\x00\x00\x00\x00IEND")
    return PNG[:iend] + chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + SECRET) + PNG[iend:]


def jpeg_with_exif() -> bytes:
    """A real JPEG (Pillow's) with an EXIF segment and a comment added after JFIF."""
    import io

    from PIL import Image

    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "JPEG")
    real = out.getvalue()
    jfif_end = 4 + struct.unpack(">H", real[4:6])[0]
    return (
        real[:jfif_end]
        + segment(0xE1, b"Exif\x00\x00" + SECRET)
        + segment(0xFE, SECRET)
        + real[jfif_end:]
    )


def test_png_text_chunks_removed_image_kept():
    data = png_with_text()
    assert SECRET in data
    stripped = strip_png(data)
    assert SECRET not in stripped
    assert stripped == PNG


def test_jpeg_exif_and_comments_removed_image_kept():
    data = jpeg_with_exif()
    stripped = strip_jpeg(data)
    assert SECRET not in stripped
    assert b"JFIF" in stripped  # APP0 kept
    assert stripped.endswith(data[data.index(b"\xff\xda") :])  # the image data untouched
    assert len(data) - len(stripped) == 2 * (2 + 2 + len(SECRET)) + 6


def test_both_editions_publish_photos_without_their_metadata(tmp_path):
    import shutil

    from tests.conftest import SAMPLE, jiandi, write_tree

    shutil.copytree(SAMPLE, tmp_path / "content")
    write_tree(
        tmp_path / "content",
        {"assets/foto.png": png_with_text(), "assets/foto.jpg": jpeg_with_exif()},
    )
    event = tmp_path / "content/events/2023-12-27-qianyue.md"
    event.write_text(
        event.read_text("utf-8") + "\n![签约](../assets/foto.png)\n![现场](../assets/foto.jpg)\n",
        "utf-8",
    )
    assert jiandi("build", "--no-booklets", "--content", "content", cwd=tmp_path).code == 0
    # Photos are re-encoded in both editions (media/photos.py): the original is never published.
    for edition in ("public", "internal"):
        for name in ("foto.png", "foto.jpg"):
            assert SECRET not in (tmp_path / "site" / edition / "assets" / name).read_bytes()
