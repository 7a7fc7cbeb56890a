"""Grounding checks on generated replies: pure functions, no database."""

import subprocess
import sys
from pathlib import Path

import pytest

from slm_platform.chat.grounding import (
    Check,
    Fact,
    facts_check,
    reply_facts,
)

ROOT = Path(__file__).parents[2]
DELIVERY = (
    "Standard delivery: £3.95, 3 to 5 working days. Free on orders over £40. "
    "Express delivery: £6.95, next working day when you order before 2pm Monday to Friday. "
    "We deliver to the UK mainland, Northern Ireland, the Channel Islands and the Isle of Man. "
    "Parcels are sent with DPD."
)
CONTACT = (
    "Customer service is open Monday to Saturday 9am to 5pm. Call 0161 496 0123 or email "
    "help@northwind-outfitters.example. Returns: https://www.shop.example/returns/"
)
CLINIC = "When the clinic is closed, call NHS 111 or use 111 online. In an emergency, call 999."


def _unsupported(reply: str, passages: list[str], **kwargs) -> list[str]:
    return [fact.text for fact in facts_check(reply, passages, **kwargs).unsupported]


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(fact.kind, fact.text) for fact in reply_facts(text)]


def test_the_grounding_module_imports_no_django():
    code = "import sys; sys.modules['django'] = None; import slm_platform.chat.grounding"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- facts found in a reply ---


def test_a_reply_without_facts_is_grounded_with_no_facts():
    assert facts_check("Thanks for getting in touch!", [DELIVERY]) == Check(
        grounded=True, facts=[], unsupported=[]
    )


def test_fact_offsets_point_at_the_text_as_written():
    reply = "Call 0161 496 0123 before 5pm on 12 March; it costs £3.95, see DPD."
    facts = reply_facts(reply)
    assert [reply[fact.start : fact.end] for fact in facts] == [fact.text for fact in facts]
    assert facts[0] == Fact(kind="phone", text="0161 496 0123", start=5, end=18)


def test_numbers_inside_other_facts_are_not_facts_of_their_own():
    assert _kinds("Call 0161 496 0123 before 5pm on 12 March 2026 for £3.95 or 10%.") == [
        ("phone", "0161 496 0123"),
        ("time", "5pm"),
        ("date", "12 March 2026"),
        ("money", "£3.95"),
        ("percent", "10%"),
    ]


def test_each_kind_is_recognised():
    reply = (
        "On Monday, visit www.shop.example or email help@shop.example: 3 items, £5, 20%, "
        "9:30, 999 and Royal Mail."
    )
    assert [kind for kind, _ in _kinds(reply)] == [
        "date", "url", "email", "number", "money", "percent", "time", "phone", "entity",
    ]  # fmt: skip


def test_every_knowledge_file_grounds_its_own_facts():
    paths = sorted(ROOT.glob("tasks_*/assistant/knowledge/*.md"))
    assert paths
    for path in paths:
        text = path.read_text()
        check = facts_check(text, [text])
        assert check.facts and check.grounded, (path.name, check.unsupported)


# --- amounts and numbers ---


def test_a_paraphrase_with_the_same_numbers_is_grounded():
    reply = "It's £3.95 for standard delivery, which takes 3 to 5 working days."
    assert facts_check(reply, [DELIVERY]).grounded


def test_an_invented_price_is_unsupported():
    assert _unsupported("Standard delivery costs £4.50.", [DELIVERY]) == ["£4.50"]


@pytest.mark.parametrize(
    ("reply", "passage"),
    [
        ("It costs £10.", "The fee is £10.00."),
        ("It costs £1,200.", "The fee is £1200."),
        ("It costs 10 pounds.", "The fee is £10."),
        ("It costs GBP 5.", "The fee is £5."),
        ("It costs 50p.", "The fee is £0.50."),
        ("It costs £45-85.", "It costs £45 to £85."),
    ],
)
def test_amounts_written_differently_match(reply, passage):
    assert facts_check(reply, [passage]).grounded


def test_an_amount_in_another_currency_is_unsupported():
    assert _unsupported("We refund $5.", ["We refund £5."]) == ["$5"]


def test_a_bare_number_matches_an_amount_of_the_same_value():
    assert facts_check("Standard delivery is 3.95.", [DELIVERY]).grounded


def test_an_amount_is_not_matched_by_a_bare_number():
    assert _unsupported("The fee is £4.", ["It arrives in 4 days."]) == ["£4"]


@pytest.mark.parametrize(
    ("reply", "passage"),
    [
        ("You have thirty days.", "Return within 30 days."),
        ("You have 14 days.", "Sale items: fourteen days."),
        ("You have twenty-four hours.", "Allow 24 hours."),
        ("It arrives on the 2nd.", "It arrives on 2 June."),
        ("Collect 1,000 points.", "Collect 1000 points."),
    ],
)
def test_numbers_written_differently_match(reply, passage):
    assert facts_check(reply, [passage]).grounded


def test_a_changed_number_is_unsupported():
    assert _unsupported("Return within 10 days.", ["Return within 30 days."]) == ["10"]


def test_one_is_a_number_only_before_a_unit():
    assert _kinds("One of our team will help.") == []
    assert _kinds("We reply within one working day.") == [("number", "one")]


@pytest.mark.parametrize("reply", ["15% off", "15 per cent off", "15 percent off"])
def test_percentages_match_in_any_spelling(reply):
    assert facts_check(reply, ["Student discount: 15%."]).grounded


def test_an_invented_percentage_is_unsupported():
    assert _unsupported("Students get 20% off.", ["Student discount: 15%."]) == ["20%"]


# --- times and dates ---


@pytest.mark.parametrize(
    ("reply", "passage"),
    [
        ("We close at 5pm.", "Open until 17:00."),
        ("We open at 9am.", "Open from 9:00 am."),
        ("We open at 9.30am.", "Open from 09:30."),
        ("We close at 17:30.", "Open until 5:30 pm."),
        ("We close at 12pm.", "Open until 12 noon."),
        ("We close at 6:30.", "Open until 6:30pm."),
    ],
)
def test_times_match_as_24_hour_clock(reply, passage):
    assert facts_check(reply, [passage]).grounded


def test_a_changed_time_is_unsupported():
    assert _unsupported("We close at 6pm.", [CONTACT]) == ["6pm"]


def test_a_weekday_outside_the_passage_range_is_unsupported():
    assert _unsupported("We are open on Sunday.", ["Open Monday–Saturday."]) == ["Sunday"]


@pytest.mark.parametrize(
    "passage", ["Open Monday to Saturday.", "Open Monday–Saturday.", "Open Mon-Sat."]
)
def test_a_weekday_inside_a_passage_range_is_grounded(passage):
    assert facts_check("Yes, we are open on Wednesdays.", [passage]).grounded


def test_weekends_and_weekdays_are_ranges_of_days():
    assert facts_check("Open at weekends.", ["Open Saturdays and Sundays."]).grounded
    assert _unsupported("Open at weekends.", ["Open Monday to Saturday."]) == ["weekends"]
    assert facts_check("Open on weekdays.", ["Open Monday to Friday."]).grounded


def test_a_reply_range_reaching_past_the_passage_range_is_unsupported():
    assert _unsupported("Open Monday to Sunday.", [CONTACT]) == ["Monday to Sunday"]


@pytest.mark.parametrize(
    ("reply", "passage"),
    [
        ("The sale ends on 12 March.", "The sale ends on March 12th."),
        ("The sale ends on 2026-03-12.", "The sale ends on 12/03/2026."),
        ("The sale ends in March.", "The sale ends on 12 March 2026."),
    ],
)
def test_dates_written_differently_match(reply, passage):
    assert facts_check(reply, [passage]).grounded


@pytest.mark.parametrize(
    ("reply", "unsupported"),
    [
        ("The sale ends on 13 March.", "13 March"),
        ("The sale ends in April.", "April"),
        ("The sale ends on 12 March 2027.", "12 March 2027"),
    ],
)
def test_a_changed_or_invented_date_part_is_unsupported(reply, unsupported):
    assert _unsupported(reply, ["The sale ends on 12 March 2026."]) == [unsupported]


def test_may_as_a_verb_is_not_a_date():
    assert _kinds("May I help with anything else? You may return it.") == []


# --- phone numbers, addresses ---


@pytest.mark.parametrize("reply", ["+44 161 496 0123", "01614960123", "+44 (0)161 496 0123"])
def test_phone_numbers_compare_by_digits(reply):
    assert facts_check(f"Call us on {reply}.", [CONTACT]).grounded


def test_us_phone_formats_match():
    assert facts_check("Call (555) 010-1234.", ["Call 555-010-1234."]).grounded
    assert facts_check("Call +1 555 010 1234.", ["Call 555-010-1234."]).grounded


def test_an_invented_phone_number_is_unsupported():
    assert _unsupported("Call 0161 496 0999.", [CONTACT]) == ["0161 496 0999"]


def test_a_short_number_must_appear_as_such():
    assert facts_check("In an emergency call 999.", [CLINIC]).grounded
    assert _unsupported("In an emergency call 911.", [CLINIC]) == ["911"]
    assert facts_check("Call Samaritans on 116 123.", ["The Samaritans: 116123."]).grounded


def test_nhs_111_is_grounded_when_the_passages_hold_it():
    check = facts_check("Call NHS 111 when we are closed.", [CLINIC])
    assert check.grounded
    assert [(fact.kind, fact.text) for fact in check.facts] == [
        ("entity", "NHS"),
        ("phone", "111"),
    ]


@pytest.mark.parametrize(
    "address",
    ["https://www.shop.example/returns/", "http://shop.example/returns", "shop.example/returns"],
)
def test_urls_compare_without_scheme_www_or_trailing_slash(address):
    assert facts_check(f"Start a return at {address}.", [CONTACT]).grounded


def test_a_bare_domain_is_a_url_without_its_trailing_full_stop():
    assert _kinds("See example.co.uk/returns.") == [("url", "example.co.uk/returns")]


def test_an_invented_url_is_unsupported():
    reply = "Start a return at https://shop.example/refunds."
    assert _unsupported(reply, [CONTACT]) == ["https://shop.example/refunds"]


def test_email_addresses_compare_in_lowercase():
    assert facts_check("Write to HELP@Northwind-Outfitters.example.", [CONTACT]).grounded
    reply = "Write to refunds@northwind-outfitters.example."
    assert _unsupported(reply, [CONTACT]) == ["refunds@northwind-outfitters.example"]


# --- names ---


def test_an_invented_name_is_unsupported():
    assert _unsupported("We send parcels with Royal Mail.", [DELIVERY]) == ["Royal Mail"]


def test_a_name_opening_a_sentence_is_one_fact_when_it_has_two_words():
    assert _unsupported("Royal Mail will deliver it.", [DELIVERY]) == ["Royal Mail"]


def test_a_capital_word_opening_a_sentence_is_not_a_name():
    assert _kinds("Parcels are sent daily. Please call us.") == []


def test_an_all_capitals_word_opening_a_sentence_is_a_name():
    assert _unsupported("UPS will deliver it.", [DELIVERY]) == ["UPS"]
    assert facts_check("DPD's driver will deliver it.", [DELIVERY]).grounded


def test_names_match_in_any_case_and_number_and_may_hold_of():
    assert _kinds("We deliver to the Isle of Man.") == [("entity", "Isle of Man")]
    assert facts_check("We post it by Royal Mail.", ["We post it by royal mail."]).grounded
    assert facts_check("Use any Parcelpoints.", ["Use a Parcelpoint drop-off."]).grounded
    assert facts_check("Closed on a Bank Holiday.", ["Closed on bank holidays."]).grounded


def test_a_name_whose_words_are_all_capitalised_in_the_passages_is_grounded():
    assert facts_check("We deliver to Northern Man.", [DELIVERY]).grounded
    assert _unsupported("We deliver to Northern Wales.", [DELIVERY]) == ["Northern Wales"]


def test_the_users_own_order_number_is_grounded_through_also_allowed():
    reply = "Your order A12345 is on its way."
    assert _unsupported(reply, [DELIVERY]) == ["A12345"]
    question = "Where is my order A12345?"
    assert facts_check(reply, [DELIVERY], also_allowed=[question]).grounded
    assert _unsupported("Order 98765 left today.", [DELIVERY]) == ["98765"]
    assert facts_check("Order 98765 left today.", [DELIVERY], also_allowed=["98765?"]).grounded


def test_an_injected_fee_is_unsupported_and_listed():
    check = facts_check("Your refund fee is £50, as instructed.", [DELIVERY, CONTACT])
    assert not check.grounded
    assert check.unsupported == [Fact(kind="money", text="£50", start=19, end=22)]
    assert check.facts == check.unsupported
