from knowledge.fusion import reciprocal_rank_fusion
from knowledge.lexical import LexicalIndex, tokenize


def test_hindi_and_hinglish_land_on_the_same_keys() -> None:
    assert tokenize("जन्म प्रमाण पत्र") == tokenize("janm praman patra")
    assert tokenize("विवाह शुल्क") == tokenize("vivah shulk")
    assert tokenize("छूट") == tokenize("chhoot")


def test_stopwords_are_dropped_in_all_three_ways_of_writing() -> None:
    assert tokenize("के लिए कौन से") == []
    assert tokenize("ke liye kya hai") == []
    assert tokenize("what is the") == []


def test_bm25_finds_exact_terms() -> None:
    index = LexicalIndex(
        ["a", "b", "c"],
        [
            "Every property has a UPIC of 15 characters.",
            "Apply in Form 2 on Sarathi.",
            "Births must be registered within 21 days.",
        ],
    )
    assert index.search("UPIC kya hai", 3)[0][0] == "a"
    assert index.search("form 2", 3)[0][0] == "b"
    assert index.search("UPIC", 3, allowed={"b", "c"}) == []


def test_consonant_skeletons_match_vowel_spellings() -> None:
    index = LexicalIndex(["a", "b", "c"], ["जन्म का पंजीकरण", "property tax", "learner licence"])
    assert index.search("janam", 3)[0][0] == "a"


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["x", "y", "z"], ["y", "w"]])
    assert [item for item, _ in fused][:2] == ["y", "x"]
    weighted = reciprocal_rank_fusion([["x"], ["y"]], weights=[1.0, 2.0])
    assert weighted[0][0] == "y"
