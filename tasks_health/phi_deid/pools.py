"""Named values for the PHI de-identification generator: people, streets, towns, counties, and
the clinical vocabulary around them that must never be tagged (facilities, roles, states).

Every person, street and facility here is invented; towns, counties, states and countries are
real, as they are in real notes. Names come from many origins, so a model learns the shape of a
name in a note rather than a list of English ones. No first name or surname is a word of any
other value or of a template, so a held-out name can be looked for in the training texts.
Facilities, roles and regions are hard negatives: Safe Harbor keeps them, and so must a model.
"""

# fmt: off
# Named pools: a fifth of each is kept out of training (slots.HELD_OUT_VALUE_FRACTION).
POOLS: dict[str, tuple[str, ...]] = {
    "female": (
        "Amelia", "Yetunde", "Priyanka", "Lowri", "Rosalind", "Giulia", "Beatrix", "Noor",
        "Kirsi", "Saoirse", "Leilani", "Henrietta", "Freya", "Dolores", "Anika", "Mireille",
        "Elodie", "Parveen", "Tamsin", "Ottilie", "Agnieszka", "Ines", "Sunniva", "Yuki",
        "Marisol", "Wanjiru", "Thandiwe", "Xiulan", "Esperanza", "Oksana", "Bronwen", "Maeve",
        "Ngozi", "Farida", "Svetlana", "Keiko", "Adaeze", "Lucinda", "Marguerite", "Imelda",
        "Nkechi", "Ayesha", "Colleen", "Delphine", "Jiwoo", "Rukhsana", "Philippa", "Edwina",
        "Ingeborg", "Tallulah", "Zainab", "Gwendolyn",
    ),
    "male": (
        "Tomasz", "Callum", "Desmond", "Haruto", "Emeka", "Aurelio", "Malcolm", "Jonah",
        "Bartosz", "Oluwaseun", "Idris", "Stellan", "Cormac", "Kofi", "Gideon", "Lucian",
        "Vikram", "Thabo", "Ewan", "Dashiell", "Alasdair", "Benedek", "Rashid", "Matteo",
        "Dmitri", "Anselm", "Tariq", "Hamish", "Joaquin", "Segun", "Wendell", "Ignatius",
        "Bogdan", "Kwabena", "Rajesh", "Takumi", "Florian", "Eamon", "Leopold", "Percival",
        "Dariusz", "Minjun", "Obinna", "Ruairi", "Santiago", "Mehmet", "Anders", "Thaddeus",
    ),
    "surname": (
        "Hartwell", "Brzeski", "Okonjo", "Fairbairn", "Solberg", "Venkataraman", "Achterberg",
        "Pritchard", "Kawabata", "Quarrie", "Nwachukwu", "Ferrandi", "Vandermolen", "Sandoval",
        "Al-Haddadi", "Strachan", "Lehtinen", "Whitlock", "Dunleavy", "Kaminsky", "Kahale",
        "Adebayo", "Pargeter", "Holmgren", "Barzani", "Quintanilla", "Berglund", "Deshpande",
        "Tierney", "Fontaine", "Asante-Mensah", "Marchetti", "Ravensworth", "Chaudry",
        "Petrescu", "Carrow", "Rathore", "Brandauer", "Munro-Kerr", "Wolska", "Nkosi",
        "Carvalho", "Kilbride", "Aasland", "Tanabe", "Grierson", "Etxeberria", "Szalai",
        "O'Donoghue", "Nguyen", "Mwangi", "Castellanos", "Oyelaran", "Gallagher", "Novakova",
        "Kowalski", "Papadopoulos", "Yilmaz", "Ivanova", "Rosenthal", "Delacroix", "Mbatha",
        "Sorensen", "Takahashi", "Ramanathan", "Fitzgerald", "Esposito", "Bjornsson",
        "Mahlangu", "Hakimi", "Goldberg", "Featherstone", "Penhaligon", "Zubiri", "Agarwal",
        "Okoro", "Vasiliev", "Lachance", "McCready", "Abernathy",
    ),
    "street": (
        "Quarry Lane", "Albion Street", "Maple Avenue", "Bellfield Road", "Tanner Street",
        "Cloister Way", "Harborview Drive", "Elmhurst Court", "Juniper Close", "Wexcombe Road",
        "Orchard Terrace", "Foxhollow Lane", "Kingfisher Way", "Beacon Street",
        "Larchmont Avenue", "Birchwood Drive", "Chestnut Grove", "Saltash Crescent",
        "Heron Place", "Marlowe Street", "Ridgeway Boulevard", "Copper Beech Lane",
        "Sycamore Circle", "Thistledown Way", "Lindenwood Avenue", "Millrace Lane",
        "Old Farm Road", "Sandpiper Court", "Wrenfield Close", "Aspen Ridge Road",
        "Cobble Hill Lane", "Pinecrest Drive", "Station Road", "Mulberry Walk", "Fern Street",
    ),
    # "City|state|first three digits of its ZIP codes".
    "us_city": (
        "Worcester|MA|016", "Dayton|OH|454", "Boise|ID|837", "Tacoma|WA|984", "Fresno|CA|937",
        "Albany|NY|122", "Duluth|MN|558", "Macon|GA|312", "Eugene|OR|974", "Lubbock|TX|794",
        "Scranton|PA|185", "Savannah|GA|314", "Flagstaff|AZ|860", "Peoria|IL|616",
        "Tulsa|OK|741", "Knoxville|TN|379", "Bangor|ME|044", "Asheville|NC|288",
        "Madison|WI|537", "Reno|NV|895", "Burlington|VT|054", "Provo|UT|846",
        "Wichita|KS|672", "Pueblo|CO|810", "Lafayette|LA|705", "Cedar Rapids|IA|524",
        "Gainesville|FL|326", "Billings|MT|591", "Toledo|OH|436", "Akron|OH|443",
        "Yonkers|NY|107", "Amarillo|TX|791", "Fargo|ND|581", "Bakersfield|CA|933",
    ),
    # "Town|postcode area".
    "uk_town": (
        "Leeds|LS", "Bristol|BS", "Norwich|NR", "Cardiff|CF", "Glasgow|G", "Dundee|DD",
        "Exeter|EX", "Swansea|SA", "Derby|DE", "Lancaster|LA", "Ipswich|IP", "Carlisle|CA",
        "Truro|TR", "Aberdeen|AB", "Inverness|IV", "Salisbury|SP", "Hereford|HR",
        "Stockport|SK", "Wrexham|LL", "Harrogate|HG", "Colchester|CO", "Bournemouth|BH",
        "Sunderland|SR", "Belfast|BT", "Oxford|OX", "Cambridge|CB", "Plymouth|PL",
        "Gloucester|GL", "Huddersfield|HD", "Kilmarnock|KA",
    ),
    "us_county": (
        "Middlesex County", "Cuyahoga County", "Maricopa County", "Travis County",
        "Hennepin County", "Fulton County", "Kings County", "Dane County", "Pima County",
        "Essex County", "Allegheny County", "Multnomah County",
    ),
    "uk_county": (
        "Lancashire", "Devon", "Norfolk", "Fife", "Cornwall", "Gwynedd", "County Antrim",
        "North Yorkshire", "Cumbria", "Somerset", "Shropshire", "Lanarkshire",
    ),
}
# fmt: on

# The PHI type of each named pool.
POOL_TYPES: dict[str, str] = {"female": "NAME", "male": "NAME", "surname": "NAME",
                              "street": "LOCATION", "us_city": "LOCATION",
                              "uk_town": "LOCATION", "us_county": "LOCATION",
                              "uk_county": "LOCATION"}

TITLES = {"female": ("Mrs", "Ms", "Miss", "Ms", "Mrs"), "male": ("Mr",), "any": ("Mx",)}

# Hard negatives: never held out, never an entity.
FACILITIES = (
    "Mercy General", "St. Luke's", "Riverside Medical Center", "Mount Carmel Hospital",
    "the Royal Infirmary", "Bayview Rehabilitation Center", "Lakeshore Dialysis",
    "St. Brigid's Hospice", "Northfield Urgent Care", "Greenacre Nursing Home",
    "Valley Children's", "Highgate Cancer Centre", "Sunnybrook Clinic", "Queen Adelaide Hospital",
    "Meridian Imaging", "Kingsway Community Hospital", "Good Samaritan", "Bramble House Care Home",
    "St. Columba's Hospital", "Westbrook Family Practice", "Hollins Memorial",
)
ROLES = (
    "the patient", "pt", "her daughter", "his wife", "the carer", "his son", "her husband",
    "the family", "next of kin", "the GP", "the surgeon", "the on-call registrar",
    "the district nurse", "her partner", "the attending", "the pharmacist", "his brother",
)
STATES = ("Texas", "Ohio", "Florida", "California", "New Mexico", "Oregon", "Michigan",
          "Massachusetts", "Arizona", "Maine", "Tennessee", "Minnesota")
COUNTRIES = ("the UK", "UK", "Scotland", "Wales", "Poland", "Nigeria", "India", "Mexico",
             "Canada", "Ireland", "Portugal", "the Philippines", "Ghana", "Pakistan", "the US")

EMAIL_DOMAINS = ("gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.co.uk",
                 "icloud.com", "aol.com", "btinternet.com", "protonmail.com", "comcast.net",
                 "live.co.uk", "mail.com", "fastmail.fm", "sky.com", "verizon.net")
STAFF_DOMAINS = ("northfieldhealth.org", "bayviewclinic.com", "lakeshorehealth.net",
                 "nhs.net", "westbrookfp.co.uk", "mercygeneral.org")
# Web addresses by what they are: "personal" pages (fundraisers, social media, shared
# files) and "portal" links (patient portals, telehealth rooms). In a shape "{slug}", "{dot}"
# and "{handle}" are a person's name, "{n}" digits and "{x}" letters and digits.
URL_SHAPES: dict[str, tuple[str, ...]] = {
    "personal": (
        "https://www.gofundme.com/f/{slug}-medical-fund", "gofundme.com/f/help-{slug}",
        "https://www.facebook.com/{dot}.{n}", "facebook.com/{dot}", "instagram.com/{handle}",
        "www.caringbridge.org/visit/{slug}", "https://www.linkedin.com/in/{slug}-{n}",
        "http://{handle}.blogspot.com", "https://drive.google.com/file/d/{x}/view",
        "https://photos.app.goo.gl/{x}", "https://www.dropbox.com/s/{x}/scan.pdf",
    ),
    "portal": (
        "https://mychart.northfieldhealth.org/MyChart/Messaging/{n}",
        "https://portal.lakeshorehealth.net/records/{n}", "https://zoom.us/j/{n}",
        "https://bayviewclinic.com/telehealth/join/{x}", "tinyurl.com/{x}",
        "https://patient.westbrookfp.co.uk/login?id={x}", "https://meet.nhs.net/{x}",
        "https://mercygeneral.org/portal/results/{n}", "bit.ly/{x}",
    ),
}

FREQUENCIES = ("bid", "BD", "od", "daily", "tds", "qds", "PRN", "at night", "q6h", "qAM",
               "twice daily", "once daily", "nocte", "weekly")
EXTRA_DRUGS = ("Eliquis", "Lasix", "Coumadin", "Keppra", "Januvia", "Xarelto", "Synthroid",
               "Zoloft", "Lipitor", "Norvasc", "furosemide", "donepezil", "morphine",
               "paracetamol", "acetaminophen", "ibuprofen", "allopurinol", "digoxin")
ICD_CODES = ("E11.9", "I10", "J44.1", "M54.5", "N39.0", "F32.1", "Z79.4", "I48.91", "E78.5",
             "K21.9", "J18.9", "I50.9", "G30.1", "R07.9", "S72.001A", "F03.90", "N18.3")
CPT_CODES = ("99213", "99214", "99215", "93000", "71046", "80053", "36415", "G0439", "99291",
             "85025", "70450", "97110", "90471", "99397")
LABS = ("Hb {a}.{d} g/dL", "K {k}.{d}", "Na {na}", "Cr {c}.{d} mg/dL", "eGFR {e}",
        "HbA1c {h}.{d}%", "WBC {w}.{d}", "INR {i}.{d}", "TSH {i}.{d}", "glucose {g} mg/dL",
        "CRP {e}", "platelets {p}", "troponin <0.01", "Hgb {a}.{d}", "BNP {p}", "ALT {e}")
VITALS = ("BP {sys}/{dia}", "BP {sys}/{dia}", "HR {hr}", "pulse {hr}", "SpO2 {sat}%",
          "sats {sat}% on RA", "RR {rr}", "T 3{t}.{d}", "temp 3{t}.{d}C", "wt {wt} kg",
          "BMI {bmi}.{d}")
FRACTIONS = ("1/2", "2/3", "1/4", "3/4")
DURATIONS = ("3 days", "two weeks", "6 months", "48 hours", "a week", "10 days", "3 weeks",
             "several months", "2 years", "24 hours", "five days", "about a month")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
