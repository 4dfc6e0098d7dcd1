"""Draw the brand images (custom_components/smart_access/brand/) from code.

Run `.venv/bin/python scripts/make_brand.py` after changing the design; the images are
committed. A rounded tile with a padlock whose shackle is a bike wheel (access control
for doors and bikes); the logo adds the name.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components/smart_access/brand"
TEAL = (0, 128, 128, 255)
WHITE = (255, 255, 255, 255)
DARK_TILE = (20, 40, 48, 255)
TEXT_DARK = (32, 32, 32, 255)


def _mark(size: int, tile: tuple[int, int, int, int]) -> Image.Image:
    """Draw the square mark: tile, lock body, wheel shackle, keyhole."""
    scale = 4  # draw large, then downsample for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=tile)
    unit = big / 16
    # Shackle: a wheel (ring with spokes) above the lock body.
    cx, cy, radius = big / 2, 6.2 * unit, 3.6 * unit
    draw.ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius),
        outline=WHITE,
        width=int(unit * 1.1),
    )
    for dx, dy in ((1, 0), (0, 1), (0.7, 0.7), (-0.7, 0.7)):
        draw.line(
            (cx - dx * radius, cy - dy * radius, cx + dx * radius, cy + dy * radius),
            fill=WHITE,
            width=int(unit * 0.35),
        )
    # Lock body and keyhole.
    draw.rounded_rectangle(
        (3.5 * unit, 7.5 * unit, 12.5 * unit, 14 * unit), radius=unit, fill=WHITE
    )
    draw.ellipse((7.1 * unit, 9.2 * unit, 8.9 * unit, 11 * unit), fill=tile)
    draw.rectangle((7.6 * unit, 10.5 * unit, 8.4 * unit, 12.6 * unit), fill=tile)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _logo(
    height: int, tile: tuple[int, int, int, int], ink: tuple[int, ...]
) -> Image.Image:
    """Draw the mark with the name "Smart Access" beside it.

    The text uses the font that Pillow bundles (ImageFont.load_default with a size),
    so the images come out the same on any machine, with no system fonts.
    """
    scale = 4
    big = height * scale
    mark = _mark(big, tile)
    font = ImageFont.load_default(size=int(big * 0.40))
    name = "Smart Access"
    left, top, right, bottom = font.getbbox(name)
    gap = int(big * 0.16)
    width = big + gap + (right - left) + int(big * 0.04)
    logo = Image.new("RGBA", (width, big), (0, 0, 0, 0))
    logo.paste(mark, (0, 0), mark)
    draw = ImageDraw.Draw(logo)
    y = (big - (bottom - top)) // 2 - top
    draw.text((big + gap - left, y), name, font=font, fill=tuple(ink))
    return logo.resize((width // scale, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write every image HACS and Home Assistant 2026.3+ look for."""
    BRAND.mkdir(parents=True, exist_ok=True)
    for prefix, tile, ink in (("", TEAL, TEXT_DARK), ("dark_", DARK_TILE, WHITE)):
        _mark(256, tile).save(BRAND / f"{prefix}icon.png")
        _mark(512, tile).save(BRAND / f"{prefix}icon@2x.png")
        _logo(128, tile, ink).save(BRAND / f"{prefix}logo.png")
        _logo(256, tile, ink).save(BRAND / f"{prefix}logo@2x.png")


if __name__ == "__main__":
    main()
