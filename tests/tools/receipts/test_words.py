import pytest

from tools.receipts.words import figures, number_words, rupees_in_hindi, rupees_in_words


@pytest.mark.parametrize(
    ("value", "english"),
    [
        (0, "Zero"),
        (5, "Five"),
        (21, "Twenty-One"),
        (100, "One Hundred"),
        (4320, "Four Thousand Three Hundred Twenty"),
        (125000, "One Lakh Twenty-Five Thousand"),
        (10000000, "One Crore"),
        (2_05_10_07_009, "Two Hundred Five Crore Ten Lakh Seven Thousand Nine"),
    ],
)
def test_english_words_use_lakh_and_crore(value, english):
    assert number_words(value) == english


@pytest.mark.parametrize(
    ("value", "hindi"),
    [
        (5, "पाँच"),
        (99, "निन्यानवे"),
        (4320, "चार हज़ार तीन सौ बीस"),
        (125000, "एक लाख पच्चीस हज़ार"),
        (3_47_00_000, "तीन करोड़ सैंतालीस लाख"),
    ],
)
def test_hindi_words(value, hindi):
    assert number_words(value, hindi=True) == hindi


def test_amounts_with_paise():
    assert rupees_in_words(431950) == (
        "Rupees Four Thousand Three Hundred Nineteen and Fifty Paise Only"
    )
    assert rupees_in_words(1000) == "Rupees Ten Only"
    assert rupees_in_hindi(431950) == "चार हज़ार तीन सौ उन्नीस रुपये पचास पैसे मात्र"
    assert figures(12500000) == "₹1,25,000.00"
    assert figures(431950) == "₹4,319.50"
    assert figures(500) == "₹5.00"


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        number_words(-1)
