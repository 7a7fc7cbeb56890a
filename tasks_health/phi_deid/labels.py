"""The identifier types of health.phi-deid: the HIPAA Safe Harbor identifiers (45 CFR
164.514(b)(2)) that occur in text, and the span conventions the starter data, the patterns and
the model share.

Span conventions: a title ("Dr", "Mrs") is outside a NAME; a label before an identifier
("MRN:", "SSN", "Member ID", "tel.") is outside it; a DATE is every written date that is more
than a year alone ("03/14/2025", "14 March", "March 2024", "the 3rd"); a year alone, a weekday
alone, a time, a duration ("for 3 days") and a dose are not; an AGE is the number of an age over
89 only ("a 92-year-old": "92"); ages of 89 and under are not identifiers. LOCATION covers
every geographic subdivision smaller than a state: a street address, city or town, county, ZIP
or postcode, each component of an address a span of its own ("12 Elm St", "Worcester", "01608"
in "12 Elm St, Worcester, MA 01608"); a state or country is not one, nor is a facility's name
("Mercy General").
"""

PHI_TYPES: tuple[str, ...] = (
    "NAME", "LOCATION", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN", "HEALTH_PLAN",
    "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP",
)

PHI_DESCRIPTIONS: dict[str, str] = {
    "NAME": "Names of patients, relatives, carers and staff (titles left outside)",
    "LOCATION": "Geographic subdivisions smaller than a state: street addresses, cities, "
                "counties, ZIP codes and postcodes",
    "DATE": "Every element of a date but the year alone: birth, admission, discharge, visit "
            "and death dates, in any written form",
    "AGE": "Ages over 89 (Safe Harbor aggregates them as 90 or older)",
    "PHONE": "Telephone and fax numbers (US, UK and international forms, extensions)",
    "EMAIL": "Email addresses",
    "SSN": "US Social Security numbers",
    "MRN": "Medical record numbers and national patient numbers (an NHS number passes its "
           "mod-11 check)",
    "HEALTH_PLAN": "Health-plan beneficiary, member and insurance policy numbers (Medicare "
                   "MBI included)",
    "ACCOUNT": "Billing and bank account numbers",
    "LICENSE": "Certificate and licence numbers: driver's licences, DEA and NPI numbers, "
               "professional licences",
    "VEHICLE": "Vehicle identifiers: licence plates and VINs",
    "DEVICE": "Medical device identifiers and serial numbers (implants, pumps, monitors)",
    "URL": "Web addresses",
    "IP": "IP addresses (IPv4 and IPv6)",
}
