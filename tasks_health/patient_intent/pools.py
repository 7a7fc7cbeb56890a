"""Named slot values for patient messages: departments, clinicians, medicines, tests, ...

Every clinician, patient and site name here is invented. Values carry no apostrophes, so the
noise that drops apostrophes never has to touch a slot value.
"""

# A medicine and the strengths it is commonly prescribed in, as a patient would write them.
MEDICATION_DOSES: dict[str, tuple[str, ...]] = {
    "metformin": ("500mg", "850mg", "1g"),
    "amlodipine": ("5mg", "10mg"),
    "atorvastatin": ("20mg", "40mg", "80mg"),
    "ramipril": ("2.5mg", "5mg", "10mg"),
    "levothyroxine": ("50mcg", "75mcg", "100 micrograms"),
    "omeprazole": ("20mg", "40mg"),
    "lansoprazole": ("15mg", "30mg"),
    "sertraline": ("50mg", "100mg"),
    "citalopram": ("10mg", "20mg"),
    "salbutamol": ("100mcg", "100 micrograms"),
    "beclometasone": ("100mcg", "200mcg"),
    "lisinopril": ("10mg", "20mg"),
    "losartan": ("25mg", "50mg"),
    "bisoprolol": ("1.25mg", "2.5mg", "5mg"),
    "simvastatin": ("20mg", "40mg"),
    "propranolol": ("10mg", "40mg"),
    "amitriptyline": ("10mg", "25mg"),
    "naproxen": ("250mg", "500mg"),
    "gabapentin": ("300mg", "600mg"),
    "mirtazapine": ("15mg", "30mg"),
    "fluoxetine": ("20mg", "40mg"),
    "desogestrel": ("75mcg",),
    "montelukast": ("10mg", "4mg"),
    "cetirizine": ("10mg",),
    "lamotrigine": ("50mg", "100mg"),
    "apixaban": ("2.5mg", "5mg"),
    "warfarin": ("1mg", "3mg", "5mg"),
    "insulin glargine": ("10 units", "24 units"),
    "folic acid": ("5mg", "400mcg"),
    "tamsulosin": ("400mcg", "400 micrograms"),
    "prednisolone": ("5mg", "20mg"),
    "hydroxychloroquine": ("200mg",),
    "co-codamol": ("8/500", "30/500"),
    "metoprolol": ("25mg", "50mg"),
    "ferrous sulfate": ("200mg",),
    "colecalciferol": ("800 units", "1000 units"),
}

POOLS: dict[str, tuple[str, ...]] = {
    "department": (
        "cardiology", "dermatology", "physio", "physiotherapy", "paediatrics", "GP",
        "orthopaedics", "ENT", "gynaecology", "neurology", "eye clinic", "ophthalmology",
        "diabetes clinic", "antenatal", "podiatry", "rheumatology", "urology",
        "sexual health", "respiratory clinic", "travel clinic", "audiology", "phlebotomy",
        "radiology", "endocrinology", "gastroenterology", "fracture clinic", "family planning",
        "sports medicine", "allergy clinic", "memory clinic",
    ),
    "clinician": (
        "Dr Okafor", "Dr. Lindqvist", "Dr Moreau", "Dr Haddad", "Nurse Patel", "Dr Whitcombe",
        "Dr Nakamura", "Dr Adeyemi", "Nurse Brennan", "Dr Castellano", "Dr Fairweather",
        "Dr Osei", "Dr Kowalczyk", "Dr Rahman", "Dr. Sato", "Nurse Delaney", "Dr Vasquez",
        "Dr Thornbury", "Dr Iqbal", "Dr Ferreira", "Nurse Kaur", "Dr McAllister",
        "Doctor Abernethy", "Dr Novak", "Dr Ellison", "Dr Quinlan", "Dr Petrov", "Dr Amadi",
        "Nurse Okonkwo", "Dr Halloran", "Dr Jensen", "Dr. Greaves", "Dr Zielinski",
        "Dr Mensah", "Dr Beaumont", "Sister Hughes", "Dr Anna Varga", "Dr Tom Rees",
    ),
    "medication": tuple(MEDICATION_DOSES),
    "test": (
        "blood test", "bloods", "MRI", "MRI scan", "HbA1c", "cholesterol test", "ECG",
        "chest X-ray", "X-ray", "urine test", "thyroid test", "ultrasound", "full blood count",
        "liver function test", "kidney function test", "PSA test", "smear test", "CT scan",
        "vitamin D test", "ferritin test", "allergy test", "throat swab", "skin biopsy",
        "mammogram", "bone density scan", "stool sample", "echocardiogram", "24-hour ECG",
        "spirometry", "glucose tolerance test", "B12 test", "12-week scan",
    ),
    # Everyday, non-urgent complaints, written to follow "about", "with" or "I have".
    "symptom": (
        "a rash on my arm", "an itchy rash on my back", "a sore knee", "lower back pain",
        "a sore throat", "earache", "a cough that will not shift", "hay fever", "a verruca",
        "a mole that has changed shape", "eczema", "acne", "a painful big toe",
        "tennis elbow", "a sprained ankle", "constipation", "insomnia", "a blocked nose",
        "sinus pain", "an ingrown toenail", "a frozen shoulder", "dry eyes",
        "a water infection", "ringing in my ears", "hair loss", "a wart on my finger",
        "an itchy scalp", "heavy periods", "hot flushes", "a lump on my wrist",
        "a fungal nail", "a cold sore", "pins and needles in my hand", "shin splints",
        "a painful heel",
    ),
    "site": (
        "Riverside Surgery", "Northgate Health Centre", "the Elm Street clinic",
        "Hillview Medical Practice", "Westfield Clinic", "the Harbour Road surgery",
        "Meadowbank Health Centre", "the Castle Street practice", "Oakridge Family Practice",
        "Lakeside Medical Centre", "the Market Square branch", "Brookfield Polyclinic",
        "Ashgrove Surgery", "the Kingsmead site", "Parkside Health", "Southview Clinic",
        "Willow Lane Clinic", "the Fernhill branch", "Granary Wharf Surgery",
        "Thistle Bank Medical Centre",
    ),
    "patient_name": (
        "Margaret Ellis", "Priya", "Tom", "J. Hughes", "Mrs Doreen Walsh", "Ahmed",
        "Kwame Boateng", "Sofia", "Liam", "Aisha Rahimi", "Mr Peter Grantley", "Chloe",
        "Wei Zhang", "Maria Lucero", "Grace", "Declan", "Fatima", "Ben", "Nadia", "Olu",
        "Harold Pemberton", "Siobhan", "Ravi Menon", "Kasia", "Edith Marsh",
    ),
    # Days ahead as patients name them; numeric dates are drawn fresh by slots._date instead.
    "day": (
        "tomorrow", "tmrw", "today", "next Tuesday", "next tue", "this Friday", "Monday",
        "mon", "Wednesday", "next Thurs", "this Fri", "the day after tomorrow",
        "Thursday", "Friday morning", "Tuesday afternoon", "next Monday", "weds",
        "this Thursday", "Saturday", "next Wednesday", "Monday week", "later this week",
        "tues",
    ),
    # Days already gone, for "I had it done ..." and "since ..."; none is also a day ahead.
    "past_day": (
        "yesterday", "yday", "last Tuesday", "last tues", "last Friday", "this morning",
        "last Wed", "Sunday", "last Thurs", "earlier this week", "yesterday morning",
        "last Monday", "last Sat", "the other day", "last Fri",
    ),
}

# The slot type a pool's values are recorded as, where it differs from the pool's name.
POOL_KINDS: dict[str, str] = {"day": "date", "past_day": "date"}

DURATIONS = ("3 days", "a week", "two weeks", "a few days", "about a month", "10 days",
             "a couple of weeks", "48 hours", "6 weeks", "three months", "over a year", "5 days")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
