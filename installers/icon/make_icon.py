"""Draw Raccordo's icon: two linked rings (the two offices) on a blue rounded square.

Writes ``raccordo.png`` (256 px) and ``raccordo.ico`` beside this file; ``raccordo.svg``
is the same drawing by hand. Run with the project's Python (Pillow is installed with
ReportLab): ``.venv/bin/python installers/icon/make_icon.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
SIZE = 256
SCALE = 4  # drawn large, scaled down: smooth edges without an anti-aliasing API
BLUE, WHITE, GREEN = (31, 78, 121, 255), (255, 255, 255, 255), (120, 200, 160, 255)


def draw() -> Image.Image:
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=48 * SCALE, fill=BLUE)
    radius, width, y = 62 * SCALE, 22 * SCALE, 128 * SCALE
    for cx, colour in ((96 * SCALE, WHITE), (160 * SCALE, GREEN)):
        pen.ellipse((cx - radius, y - radius, cx + radius, y + radius), outline=colour, width=width)
    # The white ring passes over the green one at the top: the two are linked, not stacked.
    pen.arc(
        (96 * SCALE - radius, y - radius, 96 * SCALE + radius, y + radius),
        start=278,
        end=326,
        fill=WHITE,
        width=width,
    )
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    icon = draw()
    icon.save(HERE / "raccordo.png")
    icon.save(HERE / "raccordo.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)])


if __name__ == "__main__":
    main()
