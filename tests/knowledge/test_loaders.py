import io
from pathlib import Path

import pytest
from fpdf import FPDF

from knowledge.loaders import LoadError, load_bytes, load_file


def test_markdown_front_matter_gives_the_metadata(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(
        "---\nid: bc-en\ntitle: Birth\nservice: none\ndepartment: mcd\nlanguage: en\n"
        "source_url: https://example.org\neffective_date: 2025-04-01\n---\n# Birth\n\nText.\n",
        encoding="utf-8",
    )
    document = load_file(path)
    assert document.meta.id == "bc-en"
    assert document.meta.service is None
    assert document.meta.effective_date is not None
    assert document.body.startswith("# Birth")
    assert document.format == "markdown"


def test_unknown_front_matter_key_is_reported() -> None:
    data = b"---\nid: a1\ntitle: T\nlanguage: en\nservce: x\n---\nText"
    with pytest.raises(LoadError, match="servce"):
        load_bytes("a.md", data)


def test_bad_language_is_reported() -> None:
    with pytest.raises(LoadError, match="language"):
        load_bytes("a.md", b"---\nid: a1\ntitle: T\nlanguage: fr\n---\nText")


def test_plain_text_guesses_id_title_and_language() -> None:
    document = load_bytes("Jati Praman.txt", "जाति प्रमाण पत्र SDM देता है।".encode())
    assert document.meta.id == "jati-praman"
    assert document.meta.language == "hi"
    assert document.meta.title == "Jati Praman"


def test_html_headings_become_sections_and_meta_tags_metadata() -> None:
    html = """<html lang="hi"><head><title>संपत्ति कर</title>
    <meta name="kb:id" content="pt-html"><meta name="kb:service" content="property_tax">
    <script>var x = 1;</script></head>
    <body><nav>menu</nav><h2>छूट</h2><p>30 जून तक 10 % छूट।</p><ul><li>UPIC ज़रूरी</li></ul></body>
    </html>"""
    document = load_bytes("page.html", html.encode())
    assert document.meta.id == "pt-html"
    assert document.meta.service == "property_tax"
    assert document.meta.language == "hi"
    assert "## छूट" in document.body
    assert "- UPIC ज़रूरी" in document.body
    assert "var x" not in document.body and "menu" not in document.body


def _pdf(text: str | None) -> bytes:
    pdf = FPDF()
    pdf.set_title("Learner licence guide")
    pdf.add_page()
    if text:
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def test_text_pdf_is_read_page_by_page() -> None:
    document = load_bytes(
        "guide.pdf", _pdf("Apply in Form 2. The learner licence fee is 150 rupees per class.")
    )
    assert document.meta.title == "Learner licence guide"
    assert "## Page 1" in document.body
    assert "Form 2" in document.body


def test_scanned_pdf_is_read_by_ocr() -> None:
    # A page that is only an image of text, as a scanner makes it.
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 400), "white")
    font = ImageFont.truetype("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", 40)
    ImageDraw.Draw(image).text((60, 150), "Apply for the learner licence in Form 2", fill="black",
                               font=font)
    picture = io.BytesIO()
    image.save(picture, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(picture.getvalue()), x=0, y=20, w=210)
    document = load_bytes("scan.pdf", bytes(pdf.output()))
    assert "Form 2" in document.body


def test_a_blank_scan_is_refused_with_the_reason() -> None:
    with pytest.raises(LoadError, match="no text layer"):
        load_bytes("scan.pdf", _pdf(None))


def test_unsupported_type_is_refused() -> None:
    with pytest.raises(LoadError, match="unsupported file type .docx"):
        load_bytes("a.docx", b"x")
