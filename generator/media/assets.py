"""Assets on their way to the public edition: cleaned, or refused.

What each accepted type gets (fail closed: a type not listed is refused in public content):

* JPEG: only the segments that draw the image are kept (frames, tables, scans), JFIF and
  Adobe's colour transform only in their fixed fields; EXIF, XMP, IPTC, colour profiles,
  comments, any other application segment and anything after the end of the image are
  dropped. Lossless (the image data is copied, not decoded).
* PNG: only the critical chunks and those that describe how to draw the image are kept
  (gamma, colours, transparency, pixel size, animation); text, EXIF, time, colour profiles
  and unknown chunks are dropped, and anything after IEND. Lossless.
* WebP: only the image, alpha and animation chunks are kept; EXIF, XMP and colour profiles
  are dropped and the header's flags corrected. Lossless.
* Every cleaned image must decode whole (Pillow), or it is refused.
* GIF: re-encoded by Pillow (GIF is lossless), which writes no comment or application blocks but
  the loop count.
* SVG: kept only if it holds nothing that runs or loads (no script, event attribute,
  foreignObject, external reference, style sheet): otherwise refused with the reason.
* PDF: rewritten by pypdf without the document information and XMP metadata; refused if it
  holds JavaScript, embedded files or actions that launch something. Its text is scanned for
  personal numbers (``check``) and for internal text (the leak guard).

Office documents (DOCX, XLSX, PPTX…), archives and everything else are refused in public
content: their metadata and hidden parts (comments, tracked changes) cannot be cleaned for
certain. The internal edition copies assets as they are, but photos (media/photos.py), which
both editions publish only as re-encoded derivatives.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
from pathlib import Path

from generator.media.attachments import (
    clean_pdf,
    clean_svg,
    pdf_metadata,
    pdf_problems,
    svg_problems,
)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# No published image is larger: a camera's photo is 24–50 million pixels; a file claiming more
# (a few bytes can) would take minutes and gigabytes to decode and resize.
MAX_PIXELS = 60_000_000
PUBLIC_SUFFIXES = IMAGE_SUFFIXES | {".svg", ".pdf"}

# JPEG segments that draw the image: frames (SOFn), tables (DHT, DAC, DQT), restart interval,
# line count, scans. Everything else (application segments, comments, JPGn, reserved) goes.
_JPEG_KEEP = {*range(0xC0, 0xC8), *range(0xC9, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD}
# APP0 JFIF and APP14 Adobe carry what decoders need in a fixed number of bytes: only those.
_JPEG_FIXED = {0xE0: (b"JFIF\x00", 14), 0xEE: (b"Adobe", 12)}
# No colour profiles (iCCP, ICCP, APP2): a profile is a file of its own, with text in it.
_PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"sBIT",
    b"pHYs",
    b"bKGD",
    b"cICP",
    b"acTL",
    b"fcTL",
    b"fdAT",
}
_WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}


class AssetRefused(Exception):
    """An asset that cannot be published; ``reason`` says why, for the author."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG's segments that draw the image, up to its end (EOI): nothing after it survives
    (a second image appended with its own EXIF, trailing text)."""
    if not data.startswith(b"\xff\xd8"):
        raise AssetRefused("不是有效的 JPEG 图片")
    out = bytearray(data[:2])
    pos = 2
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            raise AssetRefused("JPEG 图片的结构无法识别")
        marker = data[pos + 1]
        if marker == 0xD9:  # end of image: whatever follows is dropped
            out += data[pos : pos + 2]
            return bytes(out)
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos : pos + 2]  # fill byte, restart marker, TEM: no length
            pos += 2
            continue
        if pos + 4 > len(data):
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        out += _jpeg_segment(marker, data[pos:end])
        pos = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            scan_end = _scan_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    raise AssetRefused("JPEG 图片没有正常结束（缺少结束标记）")


def _jpeg_segment(marker: int, segment: bytes) -> bytes:
    """What of one JPEG segment is published: all of it, its fixed fields, or nothing."""
    if marker in _JPEG_KEEP:
        return segment
    fixed = _JPEG_FIXED.get(marker)
    if fixed is not None and segment[4:].startswith(fixed[0]) and len(segment) >= 4 + fixed[1]:
        payload = bytearray(segment[4 : 4 + fixed[1]])
        if marker == 0xE0:
            payload[12:14] = b"\x00\x00"  # no thumbnail
        return segment[:2] + struct.pack(">H", 2 + len(payload)) + bytes(payload)
    return b""


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data starting at ``pos`` ends: at the first 0xFF that is not
    a stuffed byte (FF00) or a restart marker (FFD0–FFD7)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
            continue
        return pos


def strip_png(data: bytes) -> bytes:
    """The PNG's chunks that draw the image, up to IEND: nothing after it survives."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise AssetRefused("不是有效的 PNG 图片")
    out = bytearray(signature)
    pos = len(signature)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos : pos + 12 + length]
        if kind in _PNG_KEEP:
            out += chunk
        pos += 12 + length
        if kind == b"IEND":
            return bytes(out)
    raise AssetRefused("PNG 图片没有正常结束（缺少 IEND）")


def strip_webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise AssetRefused("不是有效的 WebP 图片")
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + riff_size)  # what follows the RIFF container is dropped
    chunks = bytearray()
    pos = 12
    while pos + 8 <= end:
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        chunk = bytearray(data[pos : pos + 8 + length + (length & 1)])
        if kind == b"VP8X" and len(chunk) > 8:
            chunk[8] &= (
                ~0x2C & 0xFF
            )  # the ICC (0x20), EXIF (0x08), XMP (0x04) flags: gone with them
        if kind in _WEBP_KEEP:
            chunks += chunk
        pos += 8 + length + (length & 1)
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + bytes(chunks)


def reencode_gif(data: bytes) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        loop = image.info.get("loop")
        durations = []
        for index in range(frames):
            image.seek(index)
            durations.append(image.info.get("duration", 0))
        image.seek(0)
        image.info = {}
        out = io.BytesIO()
        options = {"save_all": frames > 1, "comment": b""}
        if frames > 1:
            options["duration"] = durations
            if loop is not None:
                options["loop"] = loop
        image.save(out, "GIF", **options)
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as error:
        raise AssetRefused(f"不是有效的 GIF 图片（{error}）") from None
    return out.getvalue()


def _decodable(data: bytes) -> bytes:
    """``data`` if Pillow decodes it whole: an image no decoder reads is no image to publish."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.width * image.height
            if pixels > MAX_PIXELS:
                raise AssetRefused(
                    f"图片太大（{image.width}×{image.height}，{pixels // 10000} 万像素）：请先缩小到"
                    f" {MAX_PIXELS // 10000} 万像素以内（例如 6000×4000）再放进 assets/"
                )
            if image.format == "JPEG":  # every byte is read, at an eighth of the size: quick
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise AssetRefused(f"图片无法解码（{error}）：请用看图软件另存一份再放进 assets/") from None
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above MAX_PIXELS
        raise AssetRefused(f"图片太大（{error}）：请先缩小再放进 assets/") from None
    return data


# Checks ------------------------------------------------------------------------------------


def source_problems(path: Path) -> list[str]:
    """Why the asset at ``path`` cannot go into the public edition (empty: it can, cleaned)."""
    suffix = path.suffix.lower()
    if suffix not in PUBLIC_SUFFIXES:
        return [
            f"公开内容不能附带 {suffix or '没有扩展名的'} 文件：jiandi 无法确认其中没有作者信息、"
            f"批注或修订记录。请另存为 PDF，或换成 JPEG、PNG、WebP、GIF 图片"
        ]
    data = path.read_bytes()
    if suffix == ".svg":
        return svg_problems(data)
    if suffix == ".pdf":
        return pdf_problems(data)
    try:
        cleaned(suffix, data)
    except AssetRefused as refused:
        actual = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
        if actual and f".{actual.lower()}" not in {suffix, suffix.replace("jpeg", "jpg")}:
            return [
                f"文件内容是 {actual} 图片，扩展名却是 {suffix}：请把扩展名改成 .{actual.lower()}"
                f"（链接里的文件名也跟着改）"
            ]
        return [refused.reason]
    return []


# What a file is, by its first bytes: a photo saved with another type's extension.
_MAGIC = [
    (b"\xff\xd8\xff", "JPG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF8", "GIF"),
    (b"RIFF", "WEBP"),
]


def cleaned(suffix: str, data: bytes) -> bytes:
    """The bytes the public edition publishes for an asset of type ``suffix``."""
    strip = {
        ".jpg": strip_jpeg,
        ".jpeg": strip_jpeg,
        ".png": strip_png,
        ".webp": strip_webp,
        ".gif": reencode_gif,
    }.get(suffix)
    if strip is not None:
        return _decodable(strip(data))
    if suffix == ".svg":
        problems = svg_problems(data)
        if problems:
            raise AssetRefused("；".join(problems))
        return clean_svg(data)
    if suffix == ".pdf":
        problems = pdf_problems(data)
        if problems:
            raise AssetRefused("；".join(problems))
        return clean_pdf(data)
    raise AssetRefused(f"公开内容不能附带 {suffix} 文件")


_IMAGE_INFO_OK = {
    "dpi",
    "gamma",
    "transparency",
    "loop",
    "duration",
    "background",
    "icc_profile",
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "adobe",
    "adobe_transform",
    "progressive",
    "progression",
    "interlace",
    "srgb",
    "aspect",
    "chromaticity",
    "version",
    "extension",
    "background_color",
    "blend",
    "disposal",
    "timestamp",
    "bbox",
    "default_image",
    "mode",
    "dispose_extent",
}


def published_problems(suffix: str, data: bytes) -> list[str]:
    """What an output file of type ``suffix`` still carries that it must not (an image's
    metadata, an SVG's script, a PDF's author), checked on the published bytes."""
    if suffix == ".svg":
        leftovers = (
            ["SVG 里还有注释或处理指令"]
            if re.search(rb"<!--|<\?xml-stylesheet|<!DOCTYPE", data)
            else []
        )
        return svg_problems(data) + leftovers
    if suffix == ".pdf":
        return pdf_metadata(data) + pdf_problems(data)
    if suffix in (".jpg", ".jpeg", ".png", ".webp"):
        try:  # cleaned bytes are their own cleaning: nothing more to drop
            if cleaned(suffix, data) != data:
                return ["图片里还有可以去掉的部分（元数据、注释或图片结束后的数据）"]
        except AssetRefused as refused:
            return [refused.reason]
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        extra = sorted(str(k) for k in image.info if k not in _IMAGE_INFO_OK)
        if image.getexif():
            extra.append("exif")
    except (UnidentifiedImageError, OSError, ValueError) as error:
        return [f"图片无法读取（{error}）"]
    return [f"图片还带有元数据（{', '.join(extra)}）"] if extra else []


def copy_asset(source: Path, target: Path, strip: bool) -> None:
    """Copy one asset; with ``strip`` (the public edition), publish its cleaned bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if strip:
        target.write_bytes(cleaned(source.suffix.lower(), source.read_bytes()))
    else:
        shutil.copyfile(source, target)
