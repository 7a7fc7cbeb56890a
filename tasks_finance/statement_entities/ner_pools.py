"""Named values for the statement-entity generator: banks, merchants, employers, payees, people.

Every person and nearly every organisation here is invented; a handful of well-known bank and
retail brands are kept because real statements are full of them. No person's first name or
surname is a word of any other value, so a held-out person can be looked for in the training
texts by name. Values carry no apostrophes and only ASCII letters, so the noise's changes of
case never alter a value's length.
"""

# Named pools: each value is an organisation (ORG) or a person (PERSON) as it is written in a
# letter; statement lines render them in capitals. A fifth of each pool is held out of training.
# fmt: off
POOLS: dict[str, tuple[str, ...]] = {
    "bank": (
        "Northmere Bank", "Kestrel Bank", "Harbourline Building Society", "Aldgate & Cole",
        "Fenwick Savings Bank", "Bramblewood Credit Union", "Lowfield Bank plc",
        "Sterling Crest Bank", "Meridian Trust", "Cobalt Bank", "Banque Verlaine",
        "Rheinau Sparkasse", "Tidemark Bank", "Ashcombe Mutual", "Pelham Direct",
        "Greyfriars Bank", "Orchard Street Bank", "Caldera Bank", "Banco Almendral",
        "Vestra Bank NV", "HSBC", "Barclays", "Santander", "ING", "Monzo",
    ),
    "merchant": (
        "Greenleaf Grocers", "Brightway Fuel", "Copperkettle Cafe", "Pixelhub Electronics",
        "Tidewater Books", "Larkspur Pharmacy", "Quayside Cinemas", "Northstar Rail",
        "Cloudnest Hosting", "Amberline Taxis", "Juniper Home Store", "Oakbarrel Wines",
        "FreshCart", "Velora Fashion", "Saltmarsh Fish Bar", "Brindle & Co", "Tessaly Gym",
        "Hopscotch Toys", "Marigold Florists", "Ironbridge Hardware", "Blue Heron Hotel",
        "Skylark Airways", "Pebble Pet Supplies", "Cedar & Stone Furniture",
        "Nimbus Streaming", "Fjordline Ferries", "Loaf & Ladle", "Redkite Parking",
        "Zestly Meal Kits", "Harrow Vale Garden Centre", "Meadowsweet Dairy", "Voltbay",
        "Tesco", "Amazon", "Uber", "Starbucks", "Netflix", "IKEA",
    ),
    "employer": (
        "Halvorsen Engineering Ltd", "Bluecrest Logistics", "Marlow Analytics Ltd",
        "Pennant Care Homes", "Drayton Foods plc", "Ostara Software GmbH",
        "Kingsbridge Academy Trust", "Westmoor Hospital Trust", "Crannog Construction",
        "Silverline Media Ltd", "Tarn Valley Council", "Foxglove Design Studio",
        "Hartland Freight", "Quillon Legal LLP", "Evershaw Retail Group", "Norrland Timber AB",
        "Beacon Hill Dental", "Lumen Robotics Inc", "Greywater Consulting",
        "Saffron Kitchen Group",
    ),
    "payee": (
        "Wexford Energy", "Clearwater Utilities", "Brightline Broadband",
        "Ashby District Council", "Meadowgate Lettings", "Pinecrest Insurance",
        "Vantage Mobile", "Riverbend Water", "Holloway Property Management",
        "Calder Home Insurance", "Starling Lane Nursery", "Openfield Charity Trust",
        "Granite Gas & Power", "Parkway Motor Finance", "Elmstead Pension Fund",
        "Northway Student Finance", "Thornbury Leisure Centre", "Kelso Veterinary Clinic",
        "Harbour Tax Advisers", "Orbital Mobile",
    ),
    # A title and a name; the title is never part of the PERSON span.
    "person": (
        "Ms Amelia Hartwell", "Mr Tomasz Brzeski", "Mrs Yetunde Okonjo", "Mr Callum Fairbairn",
        "Dr Ingrid Solberg", "Ms Priyanka Venkataraman", "Mr Desmond Achterberg",
        "Miss Lowri Pritchard", "Mr Haruto Kawabata", "Mrs Rosalind Quarrie",
        "Mr Emeka Nwachukwu", "Ms Giulia Ferrandi", "Mrs Beatrix Vandermolen",
        "Mr Aurelio Sandoval", "Ms Noor Al-Haddadi", "Dr Malcolm Strachan", "Ms Kirsi Lehtinen",
        "Mr Jonah Whitlock", "Mrs Saoirse Dunleavy", "Mr Bartosz Kaminsky", "Ms Leilani Kahale",
        "Mr Oluwaseun Adebayo", "Mrs Henrietta Pargeter", "Mx Robin Ashdown",
        "Ms Freya Holmgren", "Mr Idris Barzani", "Mrs Dolores Quintanilla",
        "Mr Stellan Berglund", "Ms Anika Deshpande", "Mr Cormac Tierney",
        "Dr Mireille Fontaine", "Mr Kofi Asante-Mensah", "Ms Elodie Marchetti",
        "Mr Gideon Ravensworth", "Mrs Parveen Chaudry", "Mr Lucian Petrescu", "Ms Tamsin Carrow",
        "Mr Vikram Rathore", "Ms Ottilie Brandauer", "Mr Fergus Munro-Kerr",
        "Mrs Agnieszka Wolska", "Mr Thabo Nkosi", "Ms Ines Carvalho", "Mr Ewan Kilbride",
        "Ms Sunniva Aasland", "Mr Dashiell Morrow", "Mrs Yuki Tanabe", "Mr Alasdair Grieve",
        "Ms Marisol Etxeberria", "Mr Benedek Szalai",
    ),
}
# fmt: on

# The entity type of each named pool.
POOL_TYPES: dict[str, str] = {"bank": "ORG", "merchant": "ORG", "employer": "ORG",
                              "payee": "ORG", "person": "PERSON"}

# Organisation-like words used generically, by what they stand for: hard negatives, never an
# entity, never held out.
GENERIC_ORGS: dict[str, tuple[str, ...]] = {
    "bank": ("the bank", "your bank", "my bank", "the building society", "our branch",
             "head office", "the card issuer"),
    "merchant": ("the merchant", "the retailer", "the shop", "the seller", "the company"),
    "employer": ("your employer", "my employer", "the employer", "the company"),
    "payee": ("the payee", "the landlord", "the council", "your energy supplier", "the recipient"),
}

# Places and streets are context only (there is no location type).
TOWNS = ("Leeds", "Bristol", "Norwich", "Cardiff", "Glasgow", "Utrecht", "Lyon", "Porto",
         "Hamburg", "Galway", "Denver", "Austin", "York", "Dundee", "Bath", "Ghent")
STREETS = ("Elm Row", "Quarry Lane", "Albion Street", "Marsh Road", "Cloister Way",
           "Bellfield Avenue", "Tanner Street", "Mill Close", "Harbour View", "Station Road")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
