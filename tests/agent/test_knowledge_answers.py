"""Questions are answered from the departments' documents, with the source, mid-form too."""

from tests.agent.conversation import Chat


def test_hinglish_question_mid_form_gets_a_cited_answer_and_the_form_resumes(
    tmp_path, sample_knowledge
):
    chat = Chat(tmp_path, knowledge=sample_knowledge)
    chat.say("birth certificate banwana hai")
    chat.say("kitne din me registration karwana hota hai?")
    assert chat.tools == ["search_knowledge"]
    assert "21" in chat.text
    assert "Source" in chat.text
    assert chat.text.splitlines()[-1].startswith("Bachche ka naam")


def test_hindi_question_gets_a_hindi_answer(tmp_path, sample_knowledge):
    chat = Chat(tmp_path, knowledge=sample_knowledge)
    chat.say("संपत्ति कर में छूट कब तक मिलती है?")
    assert chat.last.language == "hi"
    assert "स्रोत" in chat.text
    assert "30" in chat.text


def test_unknown_question_is_not_guessed(tmp_path, sample_knowledge):
    chat = Chat(tmp_path, knowledge=sample_knowledge)
    chat.say("What is the weather in Delhi tomorrow?")
    assert chat.tools == ["search_knowledge"]
    assert "not guess" in chat.text
