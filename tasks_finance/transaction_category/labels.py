"""The fixed label set for transaction categorisation."""

CATEGORIES: tuple[str, ...] = (
    "groceries",
    "dining",
    "fuel",
    "transport",
    "travel",
    "shopping",
    "subscriptions",
    "utilities",
    "rent_mortgage",
    "healthcare",
    "entertainment",
    "income",
    "transfers",
    "fees",
    "cash",
)

CATEGORY_DESCRIPTIONS: dict[str, str] = {
    "groceries": "Supermarkets, grocery stores and grocery delivery",
    "dining": "Restaurants, cafes, fast food and food delivery",
    "fuel": "Petrol/gas stations and EV charging",
    "transport": "Rideshare, public transit, tolls, parking and bike/scooter hire",
    "travel": "Airlines, hotels, holiday rentals, car hire and intercity rail",
    "shopping": "General retail, online marketplaces, clothing and electronics",
    "subscriptions": "Recurring digital services, streaming, software and memberships",
    "utilities": "Electricity, gas, water, waste, internet and phone bills",
    "rent_mortgage": "Rent, mortgage and homeowners' association payments",
    "healthcare": "Pharmacies, doctors, dentists, hospitals, labs and health insurance",
    "entertainment": "Cinemas, concerts, events, games and leisure venues",
    "income": "Salary, direct deposits, interest earned, refunds from tax and payouts",
    "transfers": "Money moved between own accounts or to/from people (Zelle, Venmo, wires)",
    "fees": "Bank and card fees, interest charged and penalties",
    "cash": "ATM and over-the-counter cash withdrawals",
}
