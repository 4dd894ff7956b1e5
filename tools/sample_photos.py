"""Draw the sample content's photos (content/assets/*.jpg): scenes made of shapes, no people.

Run by hand (``.venv/bin/python tools/sample_photos.py``) when the drawings change; the JPEGs are
committed like any author's photos. Each one carries a camera EXIF block and a comment on
purpose, so the sample exercises what jiandi strips before publishing.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ASSETS = Path(__file__).resolve().parent.parent / "content" / "assets"
FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
W, H = 2400, 1600


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def _room(
    draw: ImageDraw.ImageDraw, wall: tuple[int, int, int], floor: tuple[int, int, int]
) -> None:
    for y in range(H):
        t = y / H
        colour = wall if y < H * 0.62 else floor
        shade = int(30 * t)
        draw.line([(0, y), (W, y)], fill=tuple(max(0, c - shade) for c in colour))


def _banner(draw: ImageDraw.ImageDraw, text: str, top: int) -> None:
    draw.rectangle([160, top, W - 160, top + 260], fill=(178, 24, 28))
    draw.rectangle([160, top + 250, W - 160, top + 262], fill=(230, 190, 80))
    font = _font(120)
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((W - (box[2] - box[0])) / 2, top + 55), text, font=font, fill=(255, 236, 170))


def signing() -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    _room(draw, (214, 203, 186), (120, 82, 60))
    _banner(draw, "监地共建协议签约仪式", 140)
    for x in (260, W - 420):  # flags on stands
        draw.rectangle([x + 70, 520, x + 82, 1080], fill=(90, 70, 50))
        draw.polygon([(x + 82, 520), (x + 330, 560), (x + 82, 720)], fill=(200, 30, 30))
    draw.rectangle([420, 930, W - 420, 1010], fill=(160, 20, 24))  # the table
    draw.rectangle([440, 1010, W - 440, 1300], fill=(140, 16, 20))
    for i in range(4):  # four folders, four pens, four name plates
        x = 620 + i * 360
        draw.rectangle([x, 900, x + 220, 935], fill=(30, 60, 120))
        draw.line([(x + 240, 915), (x + 320, 880)], fill=(20, 20, 20), width=8)
        draw.rectangle([x + 20, 820, x + 200, 880], fill=(250, 250, 245), outline=(120, 120, 120))
    for i in range(9):  # empty chairs in a row behind
        x = 300 + i * 210
        draw.rounded_rectangle([x, 1330, x + 150, 1560], radius=20, fill=(60, 40, 30))
    return image


def hall() -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    _room(draw, (200, 210, 220), (150, 150, 150))
    _banner(draw, "监地联合帮扶活动", 120)
    rng = random.Random(7)
    for row in range(6):  # rows of empty blue chairs, seen from behind
        y = 760 + row * 140
        for col in range(14):
            x = 140 + col * 155 + (row % 2) * 40
            tone = 40 + rng.randint(0, 20)
            draw.rounded_rectangle([x, y, x + 120, y + 110], radius=14, fill=(tone, 70, 140))
    draw.rectangle([0, 1460, W, H], fill=(110, 110, 110))
    return image.filter(ImageFilter.GaussianBlur(1.2))


def video_room() -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    _room(draw, (226, 222, 210), (170, 150, 120))
    draw.rectangle([700, 260, 1700, 860], fill=(25, 25, 30))  # the screen
    draw.rectangle([740, 300, 1660, 820], fill=(60, 110, 160))
    font = _font(90)
    draw.text((880, 500), "远程视频会见", font=font, fill=(240, 245, 250))
    draw.rectangle([1150, 860, 1250, 960], fill=(40, 40, 45))
    draw.rectangle([600, 1000, 1800, 1080], fill=(190, 160, 120))  # the desk
    draw.rectangle([640, 1080, 1760, 1300], fill=(170, 140, 100))
    for x in (820, 1120, 1420):  # three chairs for the family
        draw.rounded_rectangle([x, 1180, x + 180, 1480], radius=24, fill=(80, 100, 90))
    draw.ellipse([1900, 200, 2100, 400], fill=(250, 250, 250), outline=(90, 90, 90), width=10)
    draw.line([(2000, 300), (2000, 230)], fill=(30, 30, 30), width=10)
    draw.line([(2000, 300), (2060, 300)], fill=(30, 30, 30), width=10)
    return image


def conac_example() -> Image.Image:
    """A stand-in for the 党政机关网站标识, marked 示例 on its face: a site that goes live puts
    the mark the registry issued in its place."""
    image = Image.new("RGB", (220, 80), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([1, 1, 218, 78], outline=(200, 20, 20), width=3)
    draw.ellipse([10, 12, 66, 68], fill=(200, 20, 20))
    draw.text((24, 22), "示", font=_font(28), fill=(255, 230, 150))
    draw.text((78, 10), "党政机关", font=_font(26), fill=(200, 20, 20))
    draw.text((78, 44), "标识（示例）", font=_font(20), fill=(90, 90, 90))
    return image


def _save(image: Image.Image, name: str) -> None:
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x0110] = "EX-1 (sample photo, drawn)"  # Model
    exif[0x0131] = "jiandi tools/sample_photos.py"  # Software
    ASSETS.mkdir(parents=True, exist_ok=True)
    image.save(ASSETS / name, "JPEG", quality=86, exif=exif.tobytes(), comment=b"drawn sample")


if __name__ == "__main__":
    _save(signing(), "qianyue.jpg")
    _save(hall(), "lianhe-bangfu.jpg")
    _save(video_room(), "yuancheng-huijian-shi.jpg")
    conac_example().save(ASSETS / "conac-example.png", "PNG")
