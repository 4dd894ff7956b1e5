"""Photos on their way to a reader's phone: responsive derivatives, never the original.

Every published JPEG, PNG or WebP (a record's ``image:`` and the images in bodies) is decoded
by Pillow, turned upright (EXIF orientation), converted to sRGB, and written again:

* at its own path, in its own format, at most ``LARGEST`` pixels wide (the file a Markdown
  link or an ``<img src>`` names, and what an old browser shows);
* at each of ``WIDTHS`` narrower than the original (and at the largest width), as
  ``<name>.<width>.webp`` and as a fallback ``<name>.<width>.jpg`` (``.png`` when the photo
  has transparency), the name whole: ``qianyue.jpg.480.webp``. Either side is at most 16,383
  px (WebP's limit: a long screenshot is scaled to fit).

Nothing of the original file is kept but its pixels: no EXIF, XMP, comments or colour profile
(``assets.cleaned`` is run on every file written, so the output check finds each file its own
cleaning). Pages name the derivatives in ``<picture>``/``srcset`` (``picture_html``), with
``width``/``height`` from the published size, lazy loading for all but the first image of a
page. GIF stays as ``assets`` writes it (animations are not resized).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import warnings
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from PIL import Image, ImageCms, ImageOps

from generator.caches import code_digest, digest
from generator.media.assets import MAX_PIXELS, cleaned

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
WIDTHS = (480, 960)  # and the largest: the published width
LARGEST = 1600
SIZES = "(max-width: 52rem) 100vw, 50rem"  # the article column: whole width on a phone
THUMB_SIZES = "8rem"
_QUALITY = {"JPEG": 82, "WEBP": 78}
_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_VERSION = b"photos-2"  # with code_digest(): what is written changes with the code


@dataclass(frozen=True)
class Variant:
    name: str  # relative to the edition, e.g. assets/qianyue.jpg.960.webp
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Plan:
    """What one photo is published as."""

    name: str  # the photo's own path, e.g. assets/qianyue.jpg (re-encoded, at most LARGEST)
    width: int
    height: int
    alpha: bool
    modern: tuple[Variant, ...]  # WebP, narrowest first
    fallback: tuple[Variant, ...]  # JPEG or PNG, narrowest first

    @property
    def thumbnail(self) -> Variant:
        return self.fallback[0]

    def files(self) -> list[str]:
        return sorted({self.name, *(v.name for v in self.modern + self.fallback)})


def is_photo(name: str) -> bool:
    return Path(name).suffix.lower() in PHOTO_SUFFIXES


DERIVED = re.compile(r"(?P<photo>.+\.(?:jpe?g|png|webp))\.\d+\.(?:webp|jpg|png)", re.IGNORECASE)


def animated(source: Path) -> bool:
    """An animated WebP is published as it is cleaned, like a GIF (frames are not resized)."""
    try:
        with Image.open(source) as image:
            return bool(getattr(image, "is_animated", False))
    except (OSError, ValueError, Image.DecompressionBombError):
        return False


def _upright(image: Image.Image) -> Image.Image:
    """The pixels as a reader must see them: rotated by EXIF, in sRGB, without metadata."""
    upright = ImageOps.exif_transpose(image) or image
    profile = image.info.get("icc_profile")
    alpha = "A" in upright.getbands() or "transparency" in upright.info
    mode = "RGBA" if alpha else "RGB"
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                upright.convert(mode), source, ImageCms.createProfile("sRGB"), outputMode=mode
            )
            if converted is not None:
                upright = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    return upright.convert(mode) if upright.mode != mode else upright


TALLEST = 16383  # WebP's limit on either side; a long screenshot is made to fit


def _size(width: int, height: int, target: int) -> tuple[int, int]:
    """(width, height) scaled down to at most ``target`` wide and TALLEST high."""
    scale = min(1.0, target / width, TALLEST / height)
    if scale >= 1.0:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def plan(name: str, width: int, height: int, alpha: bool) -> Plan:
    """The files a photo of that (upright) size becomes; ``name`` as in ``corpus.assets``.
    Derivatives are named after the whole name (qianyue.jpg → qianyue.jpg.480.webp), so that
    two photos that differ only in their type never share one."""
    suffix = name.rsplit(".", 1)[1]
    full = _size(width, height, LARGEST)
    widths = sorted({w for w in WIDTHS if w < full[0]} | {full[0]})
    fallback_ext, fallback_mime = ("png", "image/png") if alpha else ("jpg", "image/jpeg")
    own = {"jpeg": "jpg"}.get(suffix.lower(), suffix.lower())
    modern, fallback = [], []
    for w in widths:
        size = _size(*full, w)
        largest = w == full[0]  # the photo's own file is that one, where the format is the same
        webp, other = f"{name}.{w}.webp", f"{name}.{w}.{fallback_ext}"
        modern.append(Variant(name if largest and own == "webp" else webp, *size, "image/webp"))
        fallback.append(
            Variant(name if largest and own == fallback_ext else other, *size, fallback_mime)
        )
    return Plan(name, *full, alpha, tuple(modern), tuple(fallback))


def measure(name: str, source: Path) -> Plan:
    """The plan of one photo, from its header (orientation included); OSError if unreadable."""
    with _open(source) as image:
        width, height = image.size
        if image.getexif().get(0x0112) in (5, 6, 7, 8):  # turned a quarter
            width, height = height, width
        alpha = "A" in image.getbands() or "transparency" in image.info
    return plan(name, width, height, alpha)


def _encode(image: Image.Image, size: tuple[int, int], fmt: str) -> bytes:
    resized = image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)
    if fmt == "JPEG" and resized.mode != "RGB":
        resized = resized.convert("RGB")
    out = io.BytesIO()
    options: dict[str, object] = {"optimize": True}
    if fmt in _QUALITY:
        options["quality"] = _QUALITY[fmt]
    if fmt == "JPEG":
        options["progressive"] = True
    if fmt == "WEBP":
        options = {"quality": _QUALITY[fmt], "method": 4}
    resized.save(out, fmt, **options)
    return cleaned("." + fmt.lower().replace("jpeg", "jpg"), out.getvalue())


def _open(source: Path) -> Image.Image:
    """The image at ``source``; ValueError for one larger than assets.MAX_PIXELS."""
    try:
        image = Image.open(source)
    except Image.DecompressionBombError as error:
        raise ValueError(str(error)) from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise ValueError(f"{source.name}: {image.width}×{image.height} is too large to publish")
    return image


def render(source: Path, name: str) -> dict[str, bytes]:
    """Every file of one photo, by name. OSError or ValueError if it cannot be decoded."""
    with _open(source) as opened:
        opened.load()
        image = _upright(opened)
    p = plan(name, image.width, image.height, "A" in image.getbands())
    files = {p.name: _encode(image, (p.width, p.height), _FORMATS[Path(name).suffix.lower()])}
    for variant in p.modern + p.fallback:
        if variant.name in files:
            continue
        fmt = {"image/webp": "WEBP", "image/png": "PNG", "image/jpeg": "JPEG"}[variant.mime]
        files[variant.name] = _encode(image, (variant.width, variant.height), fmt)
    return files


KEPT = 2400  # a picture taken out of a document is kept at most this wide (LARGEST is shown)


class TooLarge(ValueError):
    """A picture of more pixels than MAX_PIXELS (or a decompression bomb): its size, W×H."""


def reencoded(data: bytes) -> tuple[bytes, str]:
    """A picture taken out of a document (``jiandi import``) as a file of its own: decoded,
    upright, sRGB, at most ``KEPT`` wide, nothing kept but its pixels (no EXIF, no place, no
    camera). ``(bytes, ".jpg")`` for a photo, ``".png"`` for a drawing or a screenshot (what
    was PNG, GIF or BMP, or has transparency). TooLarge for too many pixels; ValueError or
    OSError if it cannot be decoded."""
    try:
        with warnings.catch_warnings():  # a bomb's warning is an error here, not a line printed
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge("像素多得异常") from None
    with opened:
        if opened.width * opened.height > MAX_PIXELS:
            raise TooLarge(f"{opened.width}×{opened.height} 像素")
        drawn = opened.format in ("PNG", "GIF", "BMP")
        opened.load()
        image = _upright(opened)
    fmt = "PNG" if drawn or "A" in image.getbands() else "JPEG"
    return _encode(image, _size(image.width, image.height, KEPT), fmt), (
        ".png" if fmt == "PNG" else ".jpg"
    )


def cache_folder(project: Path) -> Path:
    """Where re-encoded photos are kept: ``JIANDI_PHOTO_CACHE`` if set (one folder shared by
    several build folders: a fresh build folder then re-encodes nothing), else the build
    folder's ``photo-cache/``. Entries are keyed by the photo's bytes and jiandi's code."""
    shared = os.environ.get("JIANDI_PHOTO_CACHE")
    return Path(shared) if shared else project.parent / "photo-cache"


def publish(source: Path, name: str, docs: Path, cache: Path | None) -> Plan:
    """Write the photo's files under ``docs``; re-encoding is kept in ``cache`` by content."""
    key = digest(_VERSION, code_digest(), name, source.read_bytes())
    stored = cache / key[:2] / key if cache else None
    files: dict[str, bytes] | None = None
    if stored and stored.is_dir():
        files = {}
        for path in stored.rglob("*"):
            if path.is_file():
                files[path.relative_to(stored).as_posix()] = path.read_bytes()
    if not files:
        files = render(source, name)
        if stored:
            # One folder per process: the two editions, built side by side, may both store it.
            temporary = stored.with_name(f"{stored.name}.{os.getpid()}.tmp")
            shutil.rmtree(temporary, ignore_errors=True)
            for file, data in files.items():
                (temporary / file).parent.mkdir(parents=True, exist_ok=True)
                (temporary / file).write_bytes(data)
            try:
                temporary.rename(stored)
            except OSError:  # another build stored it first
                shutil.rmtree(temporary, ignore_errors=True)
    for file, data in files.items():
        target = docs / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return measure(name, docs / name)


def _srcset(variants: tuple[Variant, ...], prefix: str) -> str:
    """``srcset``: addresses are percent-encoded (a space or comma in a name would split it)."""
    return ", ".join(f"{prefix}{quote(v.name.rsplit('/', 1)[-1])} {v.width}w" for v in variants)


def picture_html(photo: Plan, src: str, attributes: dict[str, str], lazy: bool) -> str:
    """``<picture>`` for an ``<img>`` whose ``src`` names the photo (as the page wrote it).
    ``attributes``: the ``<img>``'s own, kept (alt, title, class); size and loading are set."""
    prefix = src.rsplit("/", 1)[0] + "/" if "/" in src else ""
    sizes = THUMB_SIZES if "jd-thumb" in attributes.get("class", "").split() else SIZES
    kept = {k: v for k, v in attributes.items() if k not in _SET}
    img = {
        **kept,
        "src": src,
        "srcset": _srcset(photo.fallback, prefix),
        "sizes": sizes,
        "width": str(photo.width),
        "height": str(photo.height),
        "alt": attributes.get("alt", ""),
        # The first image is usually the largest thing on the screen: fetched first.
        **({"loading": "lazy"} if lazy else {"fetchpriority": "high"}),
        "decoding": "async",
    }
    source = (
        f'<source type="image/webp" srcset="{escape(_srcset(photo.modern, prefix))}" '
        f'sizes="{sizes}">'
    )
    tag = "<img " + " ".join(f'{k}="{escape(v)}"' for k, v in img.items()) + ">"
    return f"<picture>{source}{tag}</picture>"


_SET = {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"}
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)/?>", re.IGNORECASE)
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_PICTURE = re.compile(r"<picture\b.*?</picture\s*>", re.IGNORECASE | re.DOTALL)


def attributes_of(tag: str) -> dict[str, str]:
    found = _IMG.match(tag)
    text = found.group("attrs") if found else ""
    return {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
        for m in _ATTR.finditer(text)
    }


MANIFEST = "photos.json"  # beside the generated mkdocs.yml: every published photo's size


def write_manifest(project: Path, photos: list[Plan]) -> None:
    """What the plugin rewrites pages with; its bytes are part of the page cache's key."""
    import json

    data = {p.name: [p.width, p.height, p.alpha] for p in sorted(photos, key=lambda p: p.name)}
    (project / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=0), "utf-8")


def read_manifest(project: Path) -> dict[str, Plan]:
    import json

    try:
        data = json.loads((project / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: plan(name, w, h, bool(a)) for name, (w, h, a) in data.items()}


def rewrite(html: str, page_dir: str, photos: dict[str, Plan]) -> str:
    """Every ``<img>`` of a page's HTML that shows a published photo becomes a ``<picture>``;
    ``page_dir``: the folder the page is served from (``events/x``; ``.`` for the home page).
    The first image is loaded at once, the others lazily."""
    from html import unescape
    from posixpath import join, normpath
    from urllib.parse import unquote, urlsplit

    inside = [m.span() for m in _PICTURE.finditer(html)]
    first = True

    def replace(found: re.Match[str]) -> str:
        nonlocal first
        if any(start <= found.start() < end for start, end in inside):
            return found.group(0)
        attributes = {k: unescape(v) for k, v in attributes_of(found.group(0)).items()}
        src = attributes.get("src", "")
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not src or src.startswith("/"):
            first = False
            return found.group(0)
        photo = photos.get(normpath(join(page_dir, unquote(parts.path))))
        lazy = not first
        first = False
        return picture_html(photo, src, attributes, lazy) if photo else found.group(0)

    return _IMG.sub(replace, html)
