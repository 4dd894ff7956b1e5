"""Photos: ``image: {src, alt, caption}`` checked; every published photo becomes responsive
derivatives (never the original file), shown through ``<picture>``/``srcset`` with its size,
lazily but for the first; lists and feeds show a thumbnail."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from PIL import Image, ImageCms

from generator.media.assets import cleaned
from tests.conftest import BUREAU, TOPICS, jiandi, write_tree

PHOTO = """\
image:
  src: assets/qianyue.jpg
  alt: 签约仪式现场
  caption: 签约仪式现场（示意图）
"""


def _event(name: str, image: str, visibility: str = "public", date: str = "2023-12-27") -> str:
    return (
        f"---\ntitle: 新闻{name}\nvisibility: {visibility}\ndate: {date}\nbureaus: [lianyuan]\n"
        f"summary: 摘要{name}。\n{image}---\n正文{name}。\n"
    )


def _jpeg(width: int, height: int, orientation: int = 1, profile: bool = True) -> bytes:
    image = Image.new("RGB", (width, height), (200, 60, 40))
    for x in range(0, width, 40):  # something to resize
        image.paste((20, 90, 160), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"
    exif[0x0112] = orientation
    exif[0x8825] = {2: (28.0, 10.0, 0.0)}  # GPS: where it was taken
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() if profile else b""
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=icc, comment=b"secret")
    return out.getvalue()


def _png_with_alpha(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 100)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("image", "line", "said"),
    [
        (PHOTO.replace("assets/qianyue.jpg", "assets/none.jpg"), 8, "找不到照片"),
        (
            PHOTO.replace("assets/qianyue.jpg", "../assets/qianyue.jpg"),
            8,
            "src: assets/qianyue.jpg",
        ),
        (PHOTO.replace("assets/qianyue.jpg", "assets/plan.svg"), 8, "JPEG、PNG 或 WebP"),
        (PHOTO.replace("  alt: 签约仪式现场\n", ""), 7, "alt"),
        (PHOTO.replace("签约仪式现场\n", "'  '\n", 1), 9, "alt"),
        ("image: {src: assets/qianyue.jpg, alt: 现场, size: big}\n", 7, "size"),
    ],
)
def test_image_key_is_checked_with_its_line(check, image, line, said):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
    run = check(
        {
            "assets/qianyue.jpg": _jpeg(64, 48),
            "assets/plan.svg": svg,
            "events/2023-12-27-photo.md": _event("一", image),
        }
    )
    assert run.code == 1, run.output
    assert any(
        f"events/2023-12-27-photo.md:{line}:" in text and said in text for text in run.lines
    ), run.output


def test_an_internal_record_needs_no_alt(check):
    image = PHOTO.replace("  alt: 签约仪式现场\n", "")
    run = check(
        {
            "assets/qianyue.jpg": _jpeg(64, 48),
            "events/2023-12-27-photo.md": _event("一", image, visibility="internal"),
        }
    )
    assert run.code == 0, run.output


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("photos")
    body_photo = "\n![会场全景](../assets/hall.jpg)\n\n![标志](../assets/mark.png)\n"
    write_tree(
        work / "content",
        {
            "topics.yml": TOPICS,
            "bureaus/lianyuan.md": BUREAU,
            "assets/qianyue.jpg": _jpeg(2400, 1600),
            "assets/portrait.jpg": _jpeg(1200, 900, orientation=6),  # stored sideways
            "assets/hall.jpg": _jpeg(300, 200, profile=False),  # small: no upscaling
            "assets/mark.png": _png_with_alpha(800, 400),
            "events/2023-12-27-a.md": _event("甲", PHOTO).replace(
                "正文甲。", "正文甲。" + body_photo
            ),
            "events/2023-12-26-b.md": _event(
                "乙", PHOTO.replace("qianyue.jpg", "portrait.jpg"), date="2023-12-26"
            ),
        },
    )
    shutil.copy(work / "content" / "assets" / "qianyue.jpg", work / "original.jpg")
    run = jiandi("build", "--content", "content", "--out", "site", "--build-dir", "b", cwd=work)
    assert run.code == 0, run.output
    return work


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_derivatives_are_written_and_clean(built, edition):
    assets = built / "site" / edition / "assets"
    names = sorted(p.name for p in assets.iterdir() if p.is_file())
    assert "qianyue.jpg.480.webp" in names and "qianyue.jpg.960.webp" in names
    assert "qianyue.jpg.1600.webp" in names and "qianyue.jpg.480.jpg" in names
    assert "hall.jpg.300.webp" in names and "hall.jpg.480.webp" not in names  # no upscaling
    assert (
        "mark.png.400.png" not in names and "mark.png.480.png" in names
    )  # transparency: PNG fallback
    original = (built / "original.jpg").read_bytes()
    for path in assets.iterdir():
        if not path.is_file() or path.suffix not in (".jpg", ".png", ".webp"):
            continue
        data = path.read_bytes()
        assert data != original
        assert b"ExampleCam" not in data and b"secret" not in data and b"ICC_PROFILE" not in data
        assert cleaned(path.suffix, data) == data, path.name  # its own cleaning
        with Image.open(path) as image:
            assert image.width <= 1600
            assert not image.getexif() and "icc_profile" not in image.info, path.name
    with Image.open(assets / "qianyue.jpg") as image:
        assert image.size == (1600, 1067)
    with Image.open(assets / "portrait.jpg") as image:
        assert image.size == (900, 1200)  # turned upright by its EXIF orientation


def test_pages_show_photos_through_picture_and_srcset(built):
    page = (built / "site" / "public" / "events" / "2023-12-27-a" / "index.html").read_text("utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
    assert len(pictures) == 3
    lead, hall, mark = pictures
    assert 'type="image/webp"' in lead and "qianyue.jpg.480.webp 480w" in lead
    assert "qianyue.jpg.960.webp 960w" in lead and "qianyue.jpg.1600.webp 1600w" in lead
    assert 'src="../../assets/qianyue.jpg"' in lead and "qianyue.jpg.480.jpg 480w" in lead
    assert 'width="1600" height="1067"' in lead and 'alt="签约仪式现场"' in lead
    assert "sizes=" in lead and 'loading="lazy"' not in lead  # the first image loads at once
    assert 'fetchpriority="high"' in lead and "fetchpriority" not in hall
    assert 'loading="lazy"' in hall and 'width="300" height="200"' in hall
    assert 'alt="会场全景"' in hall and "mark.png.480.png 480w" in mark
    assert "<figcaption>签约仪式现场（示意图）</figcaption>" in page


def test_lists_and_feeds_show_a_thumbnail(built):
    news = (built / "site" / "public" / "news" / "index.html").read_text("utf-8")
    thumbs = re.findall(r'<img [^>]*class="jd-thumb[ "][^>]*>', news)
    assert len(thumbs) == 2 and all('sizes="8rem"' in t and "width=" in t for t in thumbs)
    feed = (built / "site" / "public" / "feeds" / "news.xml").read_text("utf-8")
    assert re.search(r'<media:thumbnail url="[^"]*assets/qianyue\.jpg\.480\.jpg"', feed), feed


def _png_claiming(width: int, height: int) -> bytes:
    """A few bytes that claim a huge image (a decompression bomb's header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(9000, 8000), (40000, 40000)])
def test_a_photo_too_large_to_publish_is_refused_at_check(check, size):
    run = check(
        {
            "assets/huge.png": _png_claiming(*size),
            "events/2023-12-27-photo.md": _event("一", PHOTO.replace("qianyue.jpg", "huge.png")),
        }
    )
    assert run.code == 1, run.output
    assert any("events/2023-12-27-photo.md:8:" in line and "太大" in line for line in run.lines), (
        run.output
    )


def test_photos_only_internal_text_names_are_not_published(tmp_path):
    """A reference definition in public text used only by an internal section, and an image in
    an HTML comment, show nothing on the public page: their photos stay out of it."""
    from tests.conftest import SAMPLE

    shutil.copytree(SAMPLE, tmp_path / "content")
    write_tree(
        tmp_path / "content",
        {
            "assets/refdef.jpg": _jpeg(640, 480),
            "assets/comment.jpg": _jpeg(640, 480),
            "assets/shown.jpg": _jpeg(640, 480),
            "events/2023-12-27-refs.md": _event(
                "丙",
                "",
            ).replace(
                "正文丙。",
                "正文丙。\n\n::: internal\n![内部][secretref]\n:::\n\n<!-- ![c](../assets/comment.jpg) -->\n\n"
                "![公开][shown]\n\n[secretref]: ../assets/refdef.jpg\n[shown]: ../assets/shown.jpg\n",
            ),
        },
    )
    run = jiandi("build", "--content", "content", "--no-booklets", cwd=tmp_path)
    assert run.code == 0, run.output
    public = {p.name for p in (tmp_path / "site/public/assets").iterdir()}
    assert "shown.jpg" in public
    assert not [name for name in public if name.startswith(("refdef", "comment"))], public
    internal = {p.name for p in (tmp_path / "site/internal/assets").iterdir()}
    assert "refdef.jpg" in internal


def test_odd_photos_publish(tmp_path):
    """A long screenshot (taller than WebP allows), two photos that differ only in their type,
    a name with a space, an animated WebP: all published, each file its own."""
    long_shot = io.BytesIO()
    Image.new("RGB", (1000, 17000), (10, 200, 10)).save(long_shot, "PNG")
    red, blue, frames = io.BytesIO(), io.BytesIO(), io.BytesIO()
    Image.new("RGB", (800, 600), (255, 0, 0)).save(red, "JPEG")
    Image.new("RGB", (800, 600), (0, 0, 255)).save(blue, "PNG")
    first = Image.new("RGB", (64, 64), (255, 0, 0))
    first.save(
        frames, "WEBP", save_all=True, append_images=[Image.new("RGB", (64, 64), (0, 0, 255))]
    )
    body = (
        "\n![长图](../assets/long.png)\n\n![红](../assets/same.jpg)\n\n![蓝](../assets/same.png)\n\n"
        "![空格](<../assets/有 空格.jpg>)\n\n![动图](../assets/anim.webp)\n"
    )
    write_tree(
        tmp_path / "content",
        {
            "topics.yml": TOPICS,
            "bureaus/lianyuan.md": BUREAU,
            "assets/long.png": long_shot.getvalue(),
            "assets/same.jpg": red.getvalue(),
            "assets/same.png": blue.getvalue(),
            "assets/有 空格.jpg": _jpeg(700, 500),
            "assets/anim.webp": frames.getvalue(),
            "events/2023-12-27-a.md": _event("甲", "").replace("正文甲。", "正文甲。" + body),
        },
    )
    assert jiandi("check", "--content", "content", cwd=tmp_path).code == 0
    run = jiandi(
        "build", "--content", "content", "--no-booklets", "--edition", "public", cwd=tmp_path
    )
    assert run.code == 0, run.output
    assets = tmp_path / "site/public/assets"
    with Image.open(assets / "long.png") as image:
        assert image.height <= 16383
    with Image.open(assets / "same.jpg.480.webp") as image:
        assert image.convert("RGB").getpixel((5, 5))[0] > 200  # red stays red
    with Image.open(assets / "same.png.480.webp") as image:
        assert image.convert("RGB").getpixel((5, 5))[2] > 200
    with Image.open(assets / "anim.webp") as image:
        assert image.is_animated  # published cleaned, not cut to one frame
    page = (tmp_path / "site/public/events/2023-12-27-a/index.html").read_text("utf-8")
    assert "%E6%9C%89%20%E7%A9%BA%E6%A0%BC.jpg.480.webp 480w" in page  # a space cannot split srcset


def test_names_that_would_break_addresses_or_collide_are_refused(check):
    run = check(
        {
            "assets/x#y.jpg": _jpeg(64, 48),
            "assets/same.jpg": _jpeg(64, 48),
            "assets/same.jpg.480.webp": b"RIFF",
            "events/2023-12-27-photo.md": _event("一", "image: {src: assets/same.jpg, alt: 图}\n"),
        }
    )
    assert run.code == 1
    assert any("x#y.jpg" in line and "#" in line for line in run.lines), run.output
    assert any("same.jpg.480.webp" in line and "同名" in line for line in run.lines), run.output


def test_a_gif_as_image_is_no_photo_not_a_missing_file(check):
    gif = io.BytesIO()
    Image.new("P", (8, 8)).save(gif, "GIF")
    run = check(
        {
            "assets/anim.gif": gif.getvalue(),
            "events/2023-12-27-photo.md": _event("一", "image: {src: assets/anim.gif, alt: 图}\n"),
        }
    )
    assert run.code == 1
    assert any("不是照片" in line and "找不到" not in line for line in run.lines), run.output


@pytest.mark.parametrize("address", ["../../assets/raw.jpg", "/assets/raw.jpg"])
def test_a_photo_named_in_raw_html_is_published(tmp_path, address):
    """Relative to the page, or from the site's root: what passes check is published."""
    write_tree(
        tmp_path / "content",
        {
            "topics.yml": TOPICS,
            "bureaus/lianyuan.md": BUREAU,
            "assets/raw.jpg": _jpeg(640, 480),
            "events/2023-12-27-a.md": _event("甲", "").replace(
                "正文甲。",
                f'正文甲。\n\n<img src="{address}" alt="原始 HTML 里的照片">\n',
            ),
        },
    )
    assert jiandi("check", "--content", "content", cwd=tmp_path).code == 0
    run = jiandi(
        "build", "--content", "content", "--no-booklets", "--edition", "public", cwd=tmp_path
    )
    assert run.code == 0, run.output
    page = (tmp_path / "site/public/events/2023-12-27-a/index.html").read_text("utf-8")
    published = tmp_path / "site/public/assets/raw.jpg"
    assert published.is_file() and published.read_bytes() != _jpeg(640, 480)
    if not address.startswith("/"):  # an address from the root is left as written
        assert "raw.jpg.480.webp 480w" in page


def test_a_png_named_jpg_is_told_what_it_is(check):
    run = check(
        {
            "assets/named.jpg": _png_with_alpha(40, 30),
            "events/2023-12-27-photo.md": _event("一", PHOTO.replace("qianyue.jpg", "named.jpg")),
        }
    )
    assert run.code == 1
    assert any("文件内容是 PNG 图片" in line and ".png" in line for line in run.lines), run.output
