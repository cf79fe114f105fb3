"""The keypad card: what each key of the kiosk's keypad does, in large print, in Dutch, French and English.

An A5 page (PDF or PNG, 300 dpi) to stick beside the keypad: each row a key drawn as a key cap, its
action in Dutch in bold, French and English below. The keys come from :mod:`kiosk.speech.keys`.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.errors import KioskError
from kiosk.export.cards import DPI, MUTED, TEAL, TEXT, _fit
from kiosk.speech.keys import card_rows
from kiosk.storage.files import write_atomically
from kiosk.i18n import translate

A5 = (1748, 2480)  # 148 x 210 mm at 300 dpi
MARGIN = 90
KEY_CAP = (230, 150)
TITLES = ("Toetsen om voor te lezen", "Touches pour la lecture à voix haute · Keys for reading aloud")


def keypad_page(start_key: str = "f12") -> Image.Image:
    page = Image.new("RGB", A5, "white")
    draw = ImageDraw.Draw(page)
    width = A5[0] - 2 * MARGIN
    draw.text((MARGIN, MARGIN), TITLES[0], fill=TEAL, font=_fit(draw, TITLES[0], width, 84, bold=True))
    draw.text((MARGIN, MARGIN + 110), TITLES[1], fill=MUTED, font=_fit(draw, TITLES[1], width, 40))
    rows = card_rows(start_key)
    top = MARGIN + 200
    height = (A5[1] - top - MARGIN) // len(rows)
    room = width - KEY_CAP[0] - 50
    for index, (pad, other, action) in enumerate(rows):
        y = top + index * height
        cap = (MARGIN, y + 8, MARGIN + KEY_CAP[0], y + min(KEY_CAP[1], height - 16))
        draw.rounded_rectangle(cap, radius=24, outline=TEXT, width=6, fill=(243, 244, 246))
        label = pad or other
        draw.text(((cap[0] + cap[2]) / 2, (cap[1] + cap[3]) / 2 - (14 if pad and other else 0)), label, fill=TEXT,
                  font=_fit(draw, label, KEY_CAP[0] - 30, 76, bold=True), anchor="mm")
        if pad and other:
            draw.text(((cap[0] + cap[2]) / 2, cap[3] - 24), other, fill=MUTED,
                      font=_fit(draw, other, KEY_CAP[0] - 30, 26), anchor="mm")
        x = MARGIN + KEY_CAP[0] + 50
        dutch = translate(action, "nl")
        draw.text((x, y + 6), dutch, fill=TEXT, font=_fit(draw, dutch, room, 66, bold=True))
        others = f"{translate(action, 'fr')}  ·  {translate(action, 'en')}"
        draw.text((x, y + 90), others, fill=MUTED, font=_fit(draw, others, room, 42))
    return page


def write_keypad_card(out: Path, start_key: str = "f12") -> Path:
    out = Path(out)
    kind = out.suffix.lower()
    if kind not in (".pdf", ".png"):
        raise KioskError(f"{out.name}: choose a file name ending in .pdf or .png")
    buffer = io.BytesIO()
    page = keypad_page(start_key)
    if kind == ".pdf":
        page.save(buffer, "PDF", resolution=DPI)
    else:
        page.save(buffer, "PNG", dpi=(DPI, DPI), optimize=True)
    write_atomically(out, buffer.getvalue())
    return out
