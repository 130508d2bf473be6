from urllib.parse import parse_qs, urlparse

from tools.verification import mask_name, sign, signature_valid, verification_url

KEY = "test-signing-key"


def test_signature_round_trip_and_tampering():
    url = verification_url("http://x.test/", KEY, "RCPT-2026-000001")
    parsed = urlparse(url)
    assert parsed.path == "/verify/RCPT-2026-000001"
    signature = parse_qs(parsed.query)["s"][0]
    assert len(signature) == 20
    assert signature_valid(KEY, "RCPT-2026-000001", signature)
    assert signature_valid(KEY, "rcpt-2026-000001", signature.upper())
    assert not signature_valid(KEY, "RCPT-2026-000002", signature)
    assert not signature_valid("another-key", "RCPT-2026-000001", signature)
    assert not signature_valid(KEY, "RCPT-2026-000001", None)


def test_receipt_and_certificate_signatures_differ_by_kind():
    assert sign(KEY, "RCPT-2026-000001") != sign(KEY, "CERT-2026-000001")


def test_names_are_masked_on_public_pages():
    assert mask_name("Ravi Kumar") == "R*** K****"
    assert mask_name(None) == "—"
