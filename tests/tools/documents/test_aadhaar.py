import logging

import pytest

from tools.documents.aadhaar import (
    AadhaarMaskingFilter,
    find_last_fours,
    mask_aadhaar,
    mask_value,
)


@pytest.mark.parametrize(
    "printed",
    ["3812 2515 8871", "381225158871", "3812-2515-8871", "३८१२ २५१५ ८८७१"],
)
def test_aadhaar_numbers_in_any_print_are_masked_to_the_last_four(printed: str) -> None:
    text = f"आधार संख्या / Aadhaar No: {printed}\nDOB: 02/05/2006"

    masked = mask_aadhaar(text)

    assert masked.splitlines()[0].endswith("XXXX XXXX 8871")
    assert "3812" not in masked and "2515" not in masked
    assert "DOB: 02/05/2006" in masked
    assert find_last_fours(text) == ["8871"]


def test_virtual_ids_and_nested_values_are_masked() -> None:
    value = {"text": ["VID: 9123 4567 8901 2345"], "n": 3, "note": "ok 12345"}

    masked = mask_value(value)

    assert masked == {"text": ["VID: XXXX XXXX XXXX 2345"], "n": 3, "note": "ok 12345"}


def test_shorter_and_longer_digit_runs_are_left_alone() -> None:
    text = "Registration No: KBH/2020/96462, phone 9810012345, 1234567890123"

    assert mask_aadhaar(text) == text


def test_the_log_filter_masks_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.aadhaar")
    handler_filter = AadhaarMaskingFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO):
            logger.info("read %s from card 2345 6789 0123", "3812 2515 8871")
    finally:
        caplog.handler.removeFilter(handler_filter)

    assert caplog.messages == ["read XXXX XXXX 8871 from card XXXX XXXX 0123"]
