from tools.documents.extract import extract_fields


def test_a_hindi_discharge_slip() -> None:
    text = (
        "सफदरजंग अस्पताल\nडिस्चार्ज पर्ची\nपंजीकरण संख्या: SJH/2023/74866\n"
        "माता का नाम: श्रीमती कविता जैन\nपिता का नाम: श्री सुरेश जैन\nजन्म तिथि: 6 अगस्त 2023\n"
    )

    extraction = extract_fields(text)

    assert extraction.kind == "hospital_slip"
    assert extraction.fields == {
        "hospital_name": "सफदरजंग अस्पताल",
        "certificate_number": "SJH/2023/74866",
        "mother_name": "कविता जैन",
        "father_name": "सुरेश जैन",
        "date_of_birth": "2023-08-06",
    }


def test_an_english_affidavit_in_prose() -> None:
    text = (
        "AFFIDAVIT\nI, Ravi Kumar, S/o Shri Suresh Kumar,\n"
        "resident of House No. 45, Gali No. 3, Laxmi Nagar, Delhi 110092,\n"
        "do hereby solemnly affirm and declare as under:\n"
        "1. That my date of birth is 5 August 1990.\n"
    )

    fields = extract_fields(text).fields

    assert fields["name"] == "Ravi Kumar"
    assert fields["father_name"] == "Suresh Kumar"
    assert fields["date_of_birth"] == "1990-08-05"
    assert fields["address"] == "House No. 45, Gali No. 3, Laxmi Nagar, Delhi 110092"


def test_an_aadhaar_card_keeps_only_the_last_four_digits() -> None:
    text = (
        "भारत सरकार GOVERNMENT OF INDIA\nआरती अग्रवाल\nAarti Agarwal\n"
        "जन्म fafa/DOB: 11/07/1982\nमहिला/ FEMALE\n4630 5953 8667\n"
    )

    extraction = extract_fields(text)

    assert extraction.kind == "aadhaar_card"
    assert extraction.fields["name"] == "आरती अग्रवाल"
    assert extraction.fields["date_of_birth"] == "1982-07-11"
    assert extraction.fields["aadhaar_last4"] == "8667"
    assert "4630" not in repr(extraction)


def test_a_wedding_card_in_both_languages() -> None:
    english = (
        "Shubh Vivah\nWe request the pleasure of your company at the wedding of\nRavi Kumar\n"
        "(S/o Shri Suresh Kumar)\nwith\nPriya Sharma\n(D/o Shri Mahesh Sharma)\n"
        "Date: 14 February 2025\nVenue: Shanti Banquet Hall, Patel Nagar, New Delhi\n"
    )
    hindi = (
        "॥ शुभ विवाह ॥\nचि. मनोज वर्मा\n(सुपुत्र श्री संजय वर्मा)\nसग\nसौ. प्रिया कुमार\n"
        "विवाह तिथि: 08-11-2019\n"
    )

    assert extract_fields(english).fields == {
        "groom_name": "Ravi Kumar",
        "bride_name": "Priya Sharma",
        "marriage_date": "2025-02-14",
        "venue": "Shanti Banquet Hall, Patel Nagar, New Delhi",
    }
    fields = extract_fields(hindi).fields
    assert (fields["groom_name"], fields["bride_name"]) == ("मनोज वर्मा", "प्रिया कुमार")
    assert fields["marriage_date"] == "2019-11-08"
