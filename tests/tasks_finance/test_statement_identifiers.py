"""IBAN and payment-card checks, account numbers, and masking in statement text
(tasks_finance.statement_entities.identifiers; pure functions)."""

import pytest

from tasks_finance.statement_entities.iban import IBAN_LENGTHS
from tasks_finance.statement_entities.identifiers import (
    card_brand,
    card_is_valid,
    card_mask,
    find_identifiers,
    iban_is_valid,
    iban_mask,
    luhn_is_valid,
    mask_identifiers,
)

GB_IBAN = "GB82WEST12345698765432"
DE_IBAN = "DE89370400440532013000"
EU_EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})


@pytest.mark.parametrize("iban", [
    GB_IBAN, "GB82 WEST 1234 5698 7654 32", DE_IBAN, "DE89 3704 0044 0532 0130 00",
    "gb82west12345698765432", "NO9386011117947", "CH9300762011623852957",
    "FR1420041010050500013M02606", "BE68539007547034", "NL91ABNA0417164300",
    "IT60X0542811101000000123456", "ES9121000418450200051332", "AT611904300234573201",
    "PL61109010140000071219812874", "MT84MALT011000012345MTLCAST001S", "IE29AIBK93115212345678",
    "SE4550000000058398257466", "LI21088100002324013AA", "IS140159260076545510730339",
    "XY801234567890123456",  # a country missing from the table: the 15-34 range applies
])
def test_valid_ibans_pass(iban):
    assert iban_is_valid(iban)


@pytest.mark.parametrize("iban", [
    "GB82WEST12345698765433",  # last digit changed
    "DE89370400440532013001",
    "GB83WEST12345698765432",  # check digits changed
    "GB82WEST12354698765432",  # two digits swapped
    "DE8937040044053201300",  # one short for Germany
    "GB82WEST123456987654320",  # one long for Great Britain
    "XY8012345678",  # unlisted country, shorter than 15
    "GB82-WEST-1234-5698-7654-32",  # dashes are not an IBAN separator
    "82GBWEST12345698765432", "", "GB", "GB82 WEST 1234 5698 7654 3!",
])
def test_invalid_ibans_fail(iban):
    assert not iban_is_valid(iban)


def test_every_single_digit_change_of_an_iban_fails():
    for position, char in enumerate(GB_IBAN):
        if not char.isdigit():
            continue
        for digit in "0123456789":
            if digit != char:
                assert not iban_is_valid(GB_IBAN[:position] + digit + GB_IBAN[position + 1:])


def test_check_digits_00_01_and_99_are_refused_even_when_the_remainder_is_one():
    # DE89 + 97 = 186 is not two digits; use a BBAN whose true check digits are 02.
    bban = next(f"{number:018d}" for number in range(1000)
                if iban_is_valid(f"DE02{number:018d}"))
    assert iban_is_valid(f"DE02{bban}")
    assert not iban_is_valid(f"DE99{bban}")


def test_the_length_table_covers_the_eu_eea_gb_and_ch():
    assert EU_EEA | {"GB", "CH"} <= IBAN_LENGTHS.keys()
    assert (IBAN_LENGTHS["GB"], IBAN_LENGTHS["DE"], IBAN_LENGTHS["NO"], IBAN_LENGTHS["MT"]) == (
        22, 22, 15, 31)


def test_iban_mask_keeps_country_last_four_and_grouping():
    assert iban_mask("GB82 WEST 1234 5698 7654 32") == "GB** **** **** **** **54 32"
    assert iban_mask(GB_IBAN) == "GB****************5432"
    assert iban_mask(DE_IBAN) == "DE****************3000"


def test_luhn():
    assert luhn_is_valid("4111111111111111")
    assert not luhn_is_valid("4111111111111112")
    assert luhn_is_valid("79927398713")
    assert not luhn_is_valid("79927398710")
    assert not luhn_is_valid("4111 1111 1111 1111")  # digits only; card_is_valid takes spaces


@pytest.mark.parametrize(("number", "brand"), [
    ("4111111111111111", "Visa"), ("4012888888881881", "Visa"), ("4222222222222", "Visa"),
    ("5555555555554444", "Mastercard"), ("5105105105105100", "Mastercard"),
    ("2221000000000009", "Mastercard"), ("378282246310005", "Amex"),
    ("371449635398431", "Amex"), ("6011111111111117", "Discover"),
    ("6011000990139424", "Discover"), ("6759649826438453", "Maestro"),
    ("6304000000000000", "Maestro"), ("5018000000000009", "Maestro"),
])
def test_valid_cards_and_their_brands(number, brand):
    assert card_is_valid(number)
    assert card_brand(number) == brand


def test_cards_written_with_spaces_or_dashes():
    assert card_is_valid("4111 1111 1111 1111")
    assert card_is_valid("4111-1111-1111-1111")
    assert card_is_valid("3782 822463 10005")
    assert card_brand("3782 822463 10005") == "Amex"


@pytest.mark.parametrize("number", [
    "4111111111111112",  # Luhn fails
    "1234567812345678",  # an order number: Luhn fails
    "411111111111",  # 12 digits
    "41111111111111111111",  # 20 digits
    "3782822463100050",  # Amex prefix at 16 digits (Luhn-valid) is not an Amex
    "4111 1111 1111 111a", "4111  1111 1111 1111", "",
])
def test_invalid_cards_fail(number):
    assert not card_is_valid(number)


def test_unbranded_numbers_may_pass_luhn_but_have_no_brand():
    assert card_is_valid("3530111333300000")  # JCB-like, not one of the five brands
    assert card_brand("3530111333300000") is None
    assert card_brand("1234567812345670") is None


def test_card_mask_keeps_last_four_and_separators():
    assert card_mask("4111 1111 1111 1111") == "**** **** **** 1111"
    assert card_mask("4111-1111-1111-1111") == "****-****-****-1111"
    assert card_mask("378282246310005") == "***********0005"


def test_find_identifiers_returns_typed_masked_spans():
    text = ("IBAN: GB82 WEST 1234 5698 7654 32 BIC WESTGB2L. Paid by card 4111 1111 1111 1111; "
            "Sort code 20-45-77 Account number: 41234567.")
    found = find_identifiers(text)
    assert found == [
        {"type": "IBAN", "start": 6, "end": 33, "text": "GB82 WEST 1234 5698 7654 32",
         "masked": "GB** **** **** **** **54 32", "valid": True},
        {"type": "CARD", "start": 61, "end": 80, "text": "4111 1111 1111 1111",
         "masked": "**** **** **** 1111", "valid": True},
        {"type": "ACCOUNT", "start": 117, "end": 125, "text": "41234567",
         "masked": "****4567", "valid": True},
    ]
    assert all(text[item["start"]:item["end"]] == item["text"] for item in found)


def test_a_digit_run_that_fails_luhn_or_has_no_brand_is_not_a_card():
    assert find_identifiers("AMAZON ORDER 1234567812345678 SHIPPED") == []
    assert find_identifiers("ORDER 4111111111111112") == []
    assert find_identifiers("TRACKING 1234567812345670") == []  # Luhn-valid, no brand


def test_a_card_next_to_other_digits_is_cut_at_its_group_boundary():
    found = find_identifiers("CARD 4111 1111 1111 1111 25.00")
    assert [(item["type"], item["text"]) for item in found] == [("CARD", "4111 1111 1111 1111")]
    found = find_identifiers("14-03-2025 4111111111111111")
    assert [(item["type"], item["text"]) for item in found] == [("CARD", "4111111111111111")]


def test_the_longest_valid_card_wins_over_a_valid_prefix():
    # A 19-digit Visa printed 4-4-4-4-3 whose first 16 digits are a valid Visa too.
    found = find_identifiers("CARD 4111 1111 1111 1111 003 USED")
    assert [(item["text"], item["masked"]) for item in found] == [
        ("4111 1111 1111 1111 003", "**** **** **** ***1 003")]


def test_an_iban_followed_by_capitals_ends_where_its_length_says():
    found = find_identifiers("PAY GB82 WEST 1234 5698 7654 32 SORT CODE ON FILE")
    assert [item["text"] for item in found] == ["GB82 WEST 1234 5698 7654 32"]
    assert find_identifiers(f"TO {DE_IBAN}")[0]["masked"] == "DE****************3000"


def test_an_invalid_iban_is_not_an_iban_and_only_masked_when_labelled():
    assert find_identifiers("REF GB82 WEST 1234 5698 7654 33 X") == []
    labelled = find_identifiers("IBAN: GB82 WEST 1234 5698 7654 33")
    assert labelled == [{"type": "ACCOUNT", "start": 6, "end": 33,
                         "text": "GB82 WEST 1234 5698 7654 33",
                         "masked": "GB** **** **** **** **54 33", "valid": False}]


@pytest.mark.parametrize(("text", "number", "masked"), [
    ("Account number: 41234567", "41234567", "****4567"),
    ("account no. 12345678", "12345678", "****5678"),
    ("Acct #1234567", "1234567", "***4567"),
    ("TRANSFER TO A/C 87654321", "87654321", "****4321"),
    ("ACCOUNT 123456789012", "123456789012", "********9012"),
    ("acc: 123456", "123456", "**3456"),
    ("FROM A/C 12-34-56 12345678 REF X", "12-34-56 12345678", "**-**-** ****5678"),
    ("Sort code: 12-34-56 12345678", "12-34-56 12345678", "**-**-** ****5678"),
])
def test_account_numbers_introduced_by_a_keyword(text, number, masked):
    found = find_identifiers(text)
    assert [(item["type"], item["text"], item["masked"]) for item in found] == [
        ("ACCOUNT", number, masked)]


@pytest.mark.parametrize("text", [
    "account 12345",  # too short
    "account 1234567890123",  # too long
    "REF 12345678",  # no account word
    "ACCOUNTING 12345678",  # not the word "account"
    "Sort code: 20-45-77",  # a sort code alone identifies a branch, not a person
    "MONTHLY ACCOUNT FEE 12.00",
])
def test_numbers_that_are_not_account_numbers(text):
    assert find_identifiers(text) == []


def test_mask_identifiers_replaces_each_and_keeps_length_and_the_rest():
    text = ("IBAN GB82 WEST 1234 5698 7654 32, card 4111-1111-1111-1111, A/C 87654321, "
            "order 1234567812345678, amount 1,234.56 on 14/03/2025")
    masked = mask_identifiers(text)
    assert masked == ("IBAN GB** **** **** **** **54 32, card ****-****-****-1111, A/C ****4321, "
                      "order 1234567812345678, amount 1,234.56 on 14/03/2025")
    assert len(masked) == len(text)
    assert mask_identifiers(masked) == masked


def test_mask_identifiers_leaves_text_without_identifiers_alone():
    text = "03 Mar  CARD PAYMENT TO TESCO STORES 2041 ON 01 MAR    45.20    1,796.97"
    assert mask_identifiers(text) == text
