"""Hand-written templates for what patients and carers write: portal messages and emails to a
clinic (from patients, and from carers about a relative), and texts and voicemail
transcripts. Same slot syntax as templates_notes. A message's writer is "{patient}", as in the
sign-offs noise adds (noise.SIGNOFFS); a relative written about is "{woman}", "{man}" or
"{person}".

Hard negatives kept on purpose: the writer's own age when 89 or under, "since 2015", weekdays
and times of an appointment, doses ("500mg twice a day"), readings ("my BP was 150/90"), a
year alone, a state or country, "my daughter" and the hospital's name.
"""

MESSAGE_TEMPLATES: tuple[str, ...] = (
    "Hi, this is {patient}, DOB {dob}. I had bloods done on {date} and haven't heard back. "
    "Can someone call me on {phone}?",
    "Dear {doctor}, my mother {woman} is {age:aged} and has been much more confused since "
    "{date:short}. She lives at {address}. Could the district nurse visit? I'm her son, "
    "{patient}.",
    "Hello, I moved to {address} last month. Please update my records. My NHS number is "
    "{nhs} and my new mobile is {phone}.",
    "I'm writing on behalf of my dad, {man}, {age:a} who lives with us in {city}. He needs "
    "his repeat prescription for {med}. His date of birth is {dob}.",
    "Can you send my test results to {email}? I'm {patient}, MRN {mrn}.",
    "Hi {doctor:titled}, I think my insurance details are wrong. My member ID is {plan} and "
    "the plan changed on {date}.",
    "My SSN on the billing statement is wrong, it should be {ssn}. Account {account}.",
    "Billing question: I was charged twice for my visit on {date}. My account number is "
    "{account} and you can reach me at {phone}.",
    "Hello, my pump (serial {serial}) keeps alarming since {weekday}. Who do I call? I'm "
    "{young_age:a} type 1 diabetic on {med}.",
    "My husband {man} had his pacemaker fitted on {date}. The card says {serial} but the "
    "app shows a different number. Is that a problem?",
    "I can't log into the portal. It says my IP {ip} has been blocked. My username is {email}.",
    "Dear Sir/Madam, my son {man:first} was seen in A&E on {date:short} after a crash. The "
    "other driver's reg was {plate}. Do you need this for the report?",
    "Here is the link to the photos of the rash: {url:personal}. I'm {patient}, born {dob}.",
    "Hi, I'm {woman}'s [daughter|carer|niece]. Her new address is {address} and her GP is "
    "{doctor}. Please send letters there from {date}.",
    "Good morning, I need a letter for the DVLA. My driving licence number is {dl} and my "
    "seizure was on {date}.",
    "Please can you tell {doctor} that my mum {woman} passed away on {date} at {facility}. "
    "Contact me on {phone} or {email}.",
    "Hello, I'm {age:a} woman and my daughter {woman} helps me with emails. Please write to "
    "her at {email} rather than to me.",
    "My Medicare number is {plan}. I turned 65 in {year} and you still have my old plan.",
    "Re: appointment on {date} at {time}. I can't make it, my car ({plate}) failed its "
    "inspection. Can we move to {date2:short}?",
    "I found a fundraising page for my treatment that I didn't set up: {url:personal}. It "
    "uses my name, {patient}, and my address in {city}. Please help.",
    "Hi, my new phone number is {phone}, the old one {phone2} is disconnected. {patient}, "
    "DOB {dob}.",
    "Dear Dr {doctor:last}, thank you for looking after my father {man} at {facility}. He "
    "turned {age:bare} last {weekday}.",
    "The pharmacy says the prescriber DEA {dea} on my script isn't valid. Could you check? "
    "It's for {med}.",
    "Our family moved from {country} and my wife {woman} needs to register. We live at "
    "{address}.",
    "Hello, I'm the carer for {woman} ({dob}). The council gave her a new wheelchair, serial "
    "{serial}, on {date}. Can physio check the fit?",
    "Can you confirm you received my fax? I sent it to {phone} on {date:short}.",
    "I'm a nurse at {facility}, licence {licence}. I'm asking about my own results, "
    "{patient}, {dob}.",
    "My VPN shows {ip} and the telehealth link {url:portal} won't load. My appt is at {time}.",
    "My daughter {woman:first} uses my email {email} for her appointments too, she is "
    "{young_age:bare}.",
    "Could you update my vehicle for the parking permit? New car VIN {vin}, plate {plate}.",
    "I've recently moved to {county}. The claim form asks for my doctor's NPI, is it {npi}? "
    "My doctor is {doctor}.",
    "Please send the records for {patient} to our new practice, {address}. Fax {phone}.",
    "My grandmother {woman} is {age:aged} and lives alone in {city}. Since {date:short} she "
    "hasn't been eating. Can someone visit?",
    "Hi, this is {patient}. My hearing aid serial {serial} was lost on the ward on {date}.",
    "I want to dispute the bill for {date}. Account {account}, insurance member {plan}.",
    "Dear {doctor},\n\nI'm writing about my father, {man}, who is {age:aged} and lives with "
    "us at {address}. Since he came home from {facility} on {date} he has been sleeping most "
    "of the day and not eating, and he fell twice last week. His tablets were changed to "
    "{med} and {med2} and I wonder if that is the reason. Could someone visit or call me on "
    "{phone}? My email is {email}.\n\nMany thanks",
    "Hello, I have been trying to sort out my bill for weeks. I was seen on {date} and again "
    "on {date2}, and my insurance, member ID {plan}, should have covered both visits. The "
    "statement for account {account} still shows a balance and now a collections letter "
    "came to {address}. I have called {phone} three times. Please can someone look into it "
    "and email me at {email}?",
    "For the disability form: my Social Security number is {ssn} and my Medicaid ID is "
    "{plan}. I'm {patient}, {address}.",
    "The results page {url:portal} shows someone else's name, not mine ({patient}). Logged "
    "in from {ip} at {time}.",
    # No identifier.
    "Hi, my BP has been {vitals} this week. Should I keep taking {med}?",
    "I'm {young_age:a} and I've had a cough for {duration}. Can I get an appointment on "
    "{weekday}?",
    "Is it ok to take {fraction} of a tablet of {med:drug}? The pharmacist at {facility} "
    "said to check.",
    "My results say {lab}. Is that normal? I've been on {med} since {year}.",
    "Can {role} collect my prescription on {weekday} at {time}?",
    "We're travelling to {country} for {duration}. Do I need more {med:drug}?",
    "Hello, {role} says I need a referral to {facility}. Code {icd} was on my letter.",
)

SMS_TEMPLATES: tuple[str, ...] = (
    "hi its {patient:first}, running 10 mins late for my {time} appt",
    "this is {patient} dob {dob} can u call me back on {phone}",
    "hi can i change my appt from {date:short} to {date2:short}? {patient:first}",
    "new number {phone} - {patient}",
    "my mum {woman} is {age:bare} and fell again, were at {address}. pls send someone",
    "whats the address for the clinic? im at {zip}",
    "pls send the form to {email} thx",
    "Voicemail {time}: Hi, it's {patient} calling about my results from {date}. My number is "
    "{phone}. Thanks, bye.",
    "Voicemail: this is {person} from {facility} calling for {doctor} about patient "
    "{patient}, MRN {mrn}. Call back on {phone}.",
    "Voicemail transcript: Hello, it's {patient:first}, my date of birth is {dob}, I need to "
    "cancel {weekday}'s appointment.",
    "dad {man:first} is {age:bare} not {young_age:bare} like the letter says lol",
    "my nhs no is {nhs}",
    "ssn {ssn} for the form",
    "member id {plan} - {patient:first}",
    "acct {account} paid today",
    "reg is {plate} for the car park",
    "pump serial is {serial}",
    "{email}",
    "link for the pics {url:personal}",
    "ip address the portal shows is {ip}",
    "hi its {patient:first}, born {dob}, results due {date:short}?",
    "running late, stuck on {address:street}. {patient:first}",
    "can {doctor} ring me, {phone}",
    "my daughter {woman} will bring me on {date:short} at {time}",
    "im in {city} till {date:short}, can we do video? {url:portal}",
    "Voicemail: hi this is {man} calling about my wife {woman}, she's {age:aged}, we're at "
    "{address}. Please call {phone}.",
    "dl number {dl} for the id check",
    "Voicemail {date:short} {time}: Hi, this is {patient}, date of birth {dob}. I'm calling "
    "because my mum {woman} was discharged from {facility} yesterday and nobody has sent the "
    "district nurse. She's {age:bare}, she lives on her own at {address} and she can't manage "
    "the stairs. Please call me back on {phone}, or her neighbour {person} on {phone2}.",
    "hi it's {patient:first}, the VIN on the insurance form is {vin}",
    "text from {phone}: confirm appt {date} {time} Y/N",
    "nurse {person:first} said to text this number, im {patient}, {dob}",
    "new email {email} and new address {address}",
    "moved to {county}, postcode {zip}",
    "voicemail: {doctor} returning {patient:titled}'s call re {med:drug}, pls ring {phone}",
    "hi the device number on my monitor is {udi}",
    "ssn is {ssn}, acct {account}, sorry for the late reply",
    "my blog about mums dementia is {url:personal} if the memory clinic wants to read it",
    # No identifier.
    "running late, be there by {time}",
    "can i take {med} with food?",
    "bp this morning {vitals}",
    "ok see u {weekday} at {time}",
    "{role} will pick up the rx",
    "been feeling dizzy for {duration}, on {med:drug}",
    "im {young_age:bare} is that too old for the jab?",
)
