"""The small files scenarios upload, drawn with Pillow; run this module to write them again.

    python -m evals.scenarios.sample_files evals/suites/scenarios/files

Each document is a plain page with a few lines of English text, a few KB in size. The names
and dates on them are generic, so they never decide a scenario: what scenarios test is that a
file reaches the right slot, or that a wrong or unreadable one is refused politely.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")

DOCUMENTS: dict[str, list[str]] = {
    "hospital_slip.png": [
        "LOK NAYAK HOSPITAL, NEW DELHI",
        "DISCHARGE SUMMARY - MATERNITY WARD",
        "Mother's name: Sunita Sharma",
        "Baby: Male, 3.1 kg, date of birth 20-11-2026",
        "Discharged on 23-11-2026",
    ],
    "affidavit.pdf": [
        "AFFIDAVIT",
        "I, the parent, state that my child was born at home",
        "at H.No. 45, Gali 3, Sangam Vihar, New Delhi 110080.",
        "Date of birth: 05-03-2026",
        "Deponent (signature)",
    ],
    "id_card.jpg": [
        "GOVERNMENT OF INDIA",
        "Identity card",
        "Name: Sunita Sharma",
        "Year of birth: 1995",
        "XXXX XXXX 4821",
    ],
    "electricity_bill.png": [
        "BSES RAJDHANI POWER LIMITED",
        "Electricity bill - October 2026",
        "Consumer: Pooja Kumari",
        "H.No. 123, Gali No. 4, Sangam Vihar, New Delhi 110080",
        "Amount payable: Rs. 1,240",
    ],
    "marksheet.pdf": [
        "CENTRAL BOARD OF SECONDARY EDUCATION",
        "Secondary School Examination - Marks Statement",
        "Name: Pooja Kumari",
        "Date of birth: 02-10-1998",
        "Result: PASS",
    ],
    "self_declaration.pdf": [
        "SELF-DECLARATION",
        "I declare that I belong to the caste stated in my application",
        "and that my family lives in Delhi.",
        "Signature of the applicant",
    ],
    "wedding_card.jpg": [
        "SHUBH VIVAH",
        "Amit weds Neha",
        "on 10 February 2026 at Arya Samaj Mandir, Kalkaji",
        "With best compliments from the Verma family",
    ],
    "witness_ids.pdf": [
        "IDENTITY PROOFS OF WITNESSES",
        "1. Suresh Gupta - Voter ID DL/01/123/456789",
        "2. Kavita Singh - Passport (copy)",
    ],
    "birth_certificate_copy.pdf": [
        "MUNICIPAL CORPORATION OF DELHI",
        "Certificate of Birth",
        "Name: Rohit Yadav   Sex: Male",
        "Date of birth: 05-06-2007",
    ],
}


def _page(lines: list[str], size: tuple[int, int] = (640, 300)) -> Image.Image:
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    font = ImageFont.truetype(str(FONT), 18) if FONT.exists() else ImageFont.load_default()
    for i, line in enumerate(lines):
        draw.text((24, 24 + i * 34), line, fill=0, font=font)
    return page


def _encode(image: Image.Image, name: str) -> bytes:
    buffer = io.BytesIO()
    suffix = Path(name).suffix
    if suffix == ".pdf":
        image.convert("1").save(buffer, format="PDF", resolution=100)
    elif suffix in (".jpg", ".jpeg"):
        image.save(buffer, format="JPEG", quality=60)
    else:
        image.convert("1").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _photo(face: bool) -> Image.Image:
    image = Image.new("RGB", (180, 220) if face else (320, 220), (240, 240, 240))
    draw = ImageDraw.Draw(image)
    centres = [(90, 90)] if face else [(110, 90), (210, 90)]
    for x, y in centres:
        draw.ellipse((x - 45, y - 55, x + 45, y + 55), fill=(205, 160, 120))
        draw.rectangle((x - 70, y + 60, x + 70, 220), fill=(40, 60, 140))
    return image


def sample_files() -> dict[str, bytes]:
    """Every sample file by name."""
    files = {name: _encode(_page(lines), name) for name, lines in DOCUMENTS.items()}
    files["photo.jpg"] = _encode(_photo(face=True), "photo.jpg")
    files["joint_photo.jpg"] = _encode(_photo(face=False), "joint_photo.jpg")
    signature = Image.new("L", (300, 100), 255)
    ImageDraw.Draw(signature).line(
        [(20, 70), (60, 30), (90, 75), (130, 35), (170, 70), (260, 50)], fill=0, width=3
    )
    files["signature.png"] = _encode(signature, "signature.png")

    # Unreadable: a blank page and a photo of nothing but noise.
    files["blank.png"] = _encode(Image.new("L", (640, 300), 255), "blank.png")
    noise = random.Random(7)
    pixels = bytes(noise.randrange(256) for _ in range(160 * 120))
    files["noise.jpg"] = _encode(Image.frombytes("L", (160, 120), pixels), "noise.jpg")

    # Wrong: a text file, and a zip archive renamed to look like a photo.
    files["notes.txt"] = b"mera aadhaar number baad mein bhejunga\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("scan.txt", "not an image")
    files["archive.png"] = archive.getvalue()
    return files


def write_sample_files(folder: Path) -> list[Path]:
    """Write every sample file into `folder`; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sample_files().items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    write_sample_files(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
