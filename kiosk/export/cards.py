"""Printable member cards: A4 pages of 10 cards (credit-card size, with cut lines), as PDF or PNG.

Each card holds a QR code of a fresh random card id (:mod:`kiosk.core.cards`), the id in letters under
it, "Ter Plekke" and a short instruction in Dutch, French and English. No name: a card only lets the
kiosk count a returning visitor as the same person.
"""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from kiosk import resources
from kiosk.core.cards import new_card_id, printed_form
from kiosk.errors import KioskError
from kiosk.storage.files import write_atomically

DPI = 300
A4 = (2480, 3508)  # 210 x 297 mm at 300 dpi
CARD = (1011, 638)  # 85.6 x 54 mm, a bank card
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
MAX_CARDS = 1000
FONT_DIR = resources.FONT_DIR
INSTRUCTIONS = ("Scan deze kaart bij de kiosk.", "Scannez cette carte à la borne.", "Scan this card at the kiosk.")
TEAL = (15, 118, 110)
TEXT = (31, 41, 55)
MUTED = (75, 85, 99)
CUT = (156, 163, 175)


def card_pages(card_ids: list[str], name: str = "Ter Plekke") -> list[Image.Image]:
    """A4 pages (RGB images at 300 dpi) holding the cards, ten to a page."""
    pages = []
    for first in range(0, len(card_ids), PER_PAGE):
        page = Image.new("RGB", A4, "white")
        draw = ImageDraw.Draw(page)
        left = (A4[0] - COLUMNS * CARD[0]) // 2
        top = (A4[1] - ROWS * CARD[1]) // 2
        for index, card in enumerate(card_ids[first:first + PER_PAGE]):
            x = left + (index % COLUMNS) * CARD[0]
            y = top + (index // COLUMNS) * CARD[1]
            page.paste(_card(card, name), (x, y))
        _cut_lines(draw, left, top)
        pages.append(page)
    return pages


def _card(card: str, name: str) -> Image.Image:
    image = Image.new("RGB", CARD, "white")
    draw = ImageDraw.Draw(image)
    qr_size = 420
    image.paste(_qr(card, qr_size), (50, 60))
    draw.text((50 + qr_size // 2, 60 + qr_size + 40), printed_form(card), fill=MUTED, font=_font(34), anchor="mm")
    x = 50 + qr_size + 50
    room = CARD[0] - x - 30
    draw.text((x, 70), name, fill=TEAL, font=_fit(draw, name, room, 78, bold=True))
    draw.text((x, 175), "Ledenkaart", fill=TEXT, font=_font(44, bold=True))
    others = min((_fit(draw, text, room, 30) for text in INSTRUCTIONS[1:]), key=lambda font: font.size)
    for line, text in enumerate(INSTRUCTIONS):
        font = _fit(draw, text, room, 32) if line == 0 else others
        draw.text((x, 270 + line * 62), text, fill=TEXT if line == 0 else MUTED, font=font)
    for line, text in enumerate(("Zonder naam,", "zonder persoonsgegevens.")):
        draw.text((x, 470 + line * 40), text, fill=MUTED, font=_fit(draw, text, room, 28))
    return image


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The font at ``size``, or smaller until ``text`` fits ``width`` pixels."""
    font = _font(size, bold)
    while size > 12 and draw.textlength(text, font=font) > width:
        size -= 2
        font = _font(size, bold)
    return font


def _qr(data: str, size: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    small = Image.new("1", (len(matrix), len(matrix)), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((size, size), Image.NEAREST).convert("RGB")


def _cut_lines(draw: ImageDraw.ImageDraw, left: int, top: int) -> None:
    """Thin dashed lines along every card edge, through to the paper's edge (for a paper cutter)."""
    for column in range(COLUMNS + 1):
        x = left + column * CARD[0]
        for y in range(0, A4[1], 40):
            draw.line([(x, y), (x, y + 20)], fill=CUT, width=2)
    for row in range(ROWS + 1):
        y = top + row * CARD[1]
        for x in range(0, A4[0], 40):
            draw.line([(x, y), (x + 20, y)], fill=CUT, width=2)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def write_cards(count: int, out: Path, name: str = "Ter Plekke") -> tuple[list[Path], list[str]]:
    """Make ``count`` new cards into ``out`` (``.pdf``: one file; ``.png``: one file per page, numbered
    when there is more than one). Returns the files written and the card ids."""
    out = Path(out)
    kind = out.suffix.lower()
    if kind not in (".pdf", ".png"):
        raise KioskError(f"{out.name}: choose a file name ending in .pdf or .png")
    if not 1 <= count <= MAX_CARDS:
        raise KioskError(f"make 1 to {MAX_CARDS} cards at a time, not {count}")
    ids = [new_card_id() for _ in range(count)]
    pages = card_pages(ids, name)
    if kind == ".pdf":
        buffer = io.BytesIO()
        pages[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
        write_atomically(out, buffer.getvalue())
        return [out], ids
    written = []
    for number, page in enumerate(pages, start=1):
        target = out if len(pages) == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")
        buffer = io.BytesIO()
        page.save(buffer, "PNG", dpi=(DPI, DPI), optimize=True)
        write_atomically(target, buffer.getvalue())
        written.append(target)
    return written, ids
