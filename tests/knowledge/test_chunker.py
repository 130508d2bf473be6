from knowledge.chunker import chunk_document
from knowledge.documents import Document, DocumentMeta


def _doc(body: str) -> Document:
    meta = DocumentMeta(id="d1", title="Birth certificate", language="en")
    return Document(meta=meta, body=body, format="markdown")


def test_chunks_follow_headings_and_keep_their_path() -> None:
    body = (
        "# Birth certificate\n\nIntro text.\n\n## Fees\n\nFree within 21 days.\n\n"
        "### Copies\n\n₹5 each.\n\n## Where to go\n\nThe zonal office.\n"
    )
    chunks = chunk_document(_doc(body))
    assert [chunk.heading_path for chunk in chunks] == [
        (),
        ("Fees",),
        ("Fees", "Copies"),
        ("Where to go",),
    ]
    assert chunks[2].heading == "Fees › Copies"
    assert chunks[2].id == "d1#002"
    assert chunks[2].indexed_text.startswith("Birth certificate. Fees. Copies\n")
    assert all(chunk.meta.language == "en" for chunk in chunks)


def test_a_long_section_is_split_at_paragraphs() -> None:
    paragraph = "This sentence is about fees and is repeated. " * 10
    body = "## Fees\n\n" + "\n\n".join([paragraph] * 6)
    chunks = chunk_document(_doc(body), max_chars=1000)
    assert len(chunks) >= 3
    assert all(len(chunk.text) <= 1000 for chunk in chunks)
    assert all(chunk.heading_path == ("Fees",) for chunk in chunks)


def test_hash_lines_inside_code_fences_are_not_headings() -> None:
    chunks = chunk_document(_doc("## Real\n\n```\n# not a heading\n```\n"))
    assert [chunk.heading_path for chunk in chunks] == [("Real",)]
