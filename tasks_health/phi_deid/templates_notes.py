"""Hand-written templates for clinical text: narrative notes (histories, discharge summaries,
referral letters, nursing and ED notes, social histories) and record headers and forms
(radiology and lab headers, medication lists, device and implant notes, insurance, billing
and access-log entries).

"{slot:variant}" is filled by slots.SLOTS ("{woman:titled}", "{mrn:labelled}"); a digit after
a slot's name is a second, different value ("{date2}"); "[a|b]" picks one wording. Templates
without an identifier slot are the entity-free rows: they keep the hard negatives a model must
leave alone (ages of 89 and under, doses, lab values, codes, facilities, roles, years).
"""

NOTE_TEMPLATES: tuple[str, ...] = (
    "HPI: {woman} is {age:a} woman with a history of {icd} who presents on {date} with "
    "{duration} of worsening breathlessness. Lives alone at {address}; her daughter {woman2} "
    "({phone}) is next of kin.",
    "Mr {man:last} is {young_age:a} man admitted on {date} from {facility} after a fall at "
    "home. PMH: {icd}, {icd2}. Meds: {med}, {med2}.",
    "DISCHARGE SUMMARY\nPatient: {patient:caps}   {mrn:labelled}   DOB: {dob}\nAdmitted: "
    "{date}   Discharged: {date2}\nAttending: {doctor}\nDiagnosis: {icd}. Discharged home to "
    "{address} on {med}. Follow-up with {doctor2} in {duration}.",
    "Dear {doctor},\n\nRe: {patient}, DOB {dob}\n{address:lines}\nNHS No: {nhs}\n\nThank you "
    "for seeing this {young_age} patient with {duration} of abdominal pain. Bloods on "
    "{date:short}: {lab}. GP: {doctor2}.",
    "Nursing note {time}: {patient:first} settled overnight, {vitals}. Son {man} visited "
    "and can be reached on {phone}. Plan: mobilise with physio.",
    "Social history: lives with [wife|husband|partner] {person:first} in {city}, {county}. "
    "Retired bus driver, ex-smoker since {year}. Still drives, vehicle reg {plate}.",
    "ED triage {date:short} {time}: {age:a} female brought in from {facility} with "
    "confusion. {vitals}. Niece {woman} at bedside, mobile {phone}.",
    "{doctor} saw {patient:titled} in clinic today. {young_age:a} with {icd}, {lab}. Increase "
    "{med}. Review on {date}.",
    "Pt {patient} ({dob}) seen for annual review. {vitals}. Continue {med}. Next review "
    "{date:month}.",
    "Patient is {age:a} who fell at her home in {city} on {date:short}. Found by a neighbour "
    "after {duration} on the floor.",
    "Assessment: {man:titled}, {age:bare} yo, lives at {address:street} with {role}. Daughter "
    "{woman:first} holds lasting power of attorney and asks to be called on {phone} first.",
    "Operative note {date}. Surgeon: {doctor}. Assistant: {doctor2}. Procedure: left total "
    "hip replacement, {cpt}. Implant: femoral stem, serial {serial}. EBL 300 mL.",
    "Pacemaker check: dual chamber device, serial no. {serial}, implanted {date:month} at "
    "{facility}. Battery OK. Pt {patient:first} reports no syncope since {year}.",
    "Insulin pump serial {serial} replaced today; old pump returned to manufacturer. CGM "
    "transmitter {serial2}. HbA1c on {date:short} was 7.9%.",
    "Patient {patient} requests copy of records be sent to {email}. Identity confirmed with "
    "DOB {dob} and address {address}.",
    "Telehealth visit {date} {time}. Patient joined via {url:portal} from IP {ip}. {vitals} (home "
    "readings). Plan: continue {med}.",
    "MVC this morning. Driver of vehicle {plate} per police report; VIN {vin} on the "
    "insurance card. Pt {man} c/o neck pain, GCS 15.",
    "Safeguarding: {woman} attended A&E with her son {man:first}. Address given as {address}, "
    "which differs from the GP record. Health visitor informed on {date}.",
    "Chaplaincy visit. {woman:titled}, {age:bare}, asks that her pastor {person} at {phone} be "
    "told. Family from {country}.",
    "Death verified by {doctor} on {date} at {time}. Next of kin {person} informed by phone "
    "({phone}). Certificate issued.",
    "Midwife note: {woman:first} G2P1 at 32 weeks, EDD {date}. Partner {man:first}. {vitals}. "
    "Booking bloods normal.",
    "Psych note: {man} brought in by police from {city} on {date:short}. Says he "
    "moved from {state} in {year}. Sister {woman} on {phone}.",
    "Pharmacist note: {med} restarted. Discussed with {doctor}, DEA {dea}, re controlled "
    "drug prescription for {patient}.",
    "Admission clerking {date} {time}\nName: {patient}\nAge: {age:aged}\nLives: {address}\n"
    "NOK: {person} ({role}), {phone}\nPC: fall, {duration} of reduced mobility.",
    "Hospice referral for {man}, {age:a} gentleman with metastatic disease, living in "
    "{county}. Wife {woman:first} is main carer. GP {doctor}.",
    "Wound care: pt {patient:first} seen at home, {address:street}, {city}. Dressing changed, "
    "{med}. Next visit {weekday}.",
    "Dr {doctor:last} spoke to {woman:titled} by phone on {phone} re biopsy result of "
    "{date:short}. Appointment booked for {date2}.",
    "Patient states she emailed the results to {email} and posted them on {url:personal}. Advised "
    "against sharing medical records online.",
    "Dear Colleague, I reviewed {patient} (MRN {mrn}) on {date}. Driving licence {dl} "
    "retained; advised not to drive for {duration} after the seizure.",
    "Capacity assessment for {man} on {date:short}. His brother {man2} ({email}) disputes "
    "the plan. Social worker {person} involved.",
    "Transfer note: {patient} transferred from {facility} to {facility2} on {date} by "
    "ambulance. Receiving physician {doctor}, pager {phone}.",
    "{age:a} retired teacher from {city} presents with delirium. Lives in sheltered housing, "
    "{address:street}. Carer visits twice daily.",
    "Occupational therapy: {patient:titled} lives in a first floor flat at {address}. Uses "
    "a hearing aid, serial {serial}. Daughter visits every {weekday}.",
    "Ward round {date:short}: {doctor} with {doctor2}. {patient:caps} day 3 post op, {vitals}. "
    "{lab}. Plan d/c {date2:short}.",
    "Interpreter booked for {woman} (Tigrinya) for appointment on {date} at {time}. "
    "Contact her son {man} on {phone}.",
    "Police requested the CCTV from {date:short}. Officer gave number {phone}. Patient "
    "{patient} consented; licence {dl} photocopied.",
    "Phone call from {person} at {facility} re {patient} (DOB {dob}, SSN {ssn}) for "
    "insurance verification.",
    "{patient:caps}\n{address:lines}\nTel: {phone}\nEmail: {email}",
    "HISTORY OF PRESENT ILLNESS: {man:titled} is {young_age:a} man with {icd} on {med} and "
    "{med2} who was in his usual state of health until {date:short}, when he developed "
    "fevers and a productive cough. He was seen at {facility} on {date2:short} and given "
    "antibiotics without improvement. Today {vitals}. {lab}. He lives with his wife "
    "{woman:first} at {address} and works as a delivery driver; his van, reg {plate}, is in "
    "the car park. Contact: {phone}.",
    "DISCHARGE SUMMARY - {facility}\nName: {patient}  DOB: {dob}  MRN: {mrn}\nAdmission: "
    "{date}  Discharge: {date2}\nConsultant: {doctor}\n\nPresenting complaint: fall at home "
    "with {duration} of confusion. Diagnosis: {icd}. Course: treated with IV fluids and "
    "{med}; {lab} on discharge.\nFollow-up: {doctor2} in clinic in {duration2}. District "
    "nurse to visit {address:street}, {city}. Carer {person} ({phone}) aware.",
    "Dear {doctor},\n\nThank you for referring {woman:titled} ({dob}), {age:a} lady who "
    "lives alone in {city}. I saw her on {date} with her niece {woman2}. She has had "
    "{duration} of weight loss and {lab}. I have arranged a CT and will see her again on "
    "{date2:short}. Her niece prefers contact by email, {email}, or on {phone}.\n\nYours "
    "sincerely",
    # No identifier.
    "Pt is {young_age:a} with {icd}, {vitals}. Started {med}; review in {duration}.",
    "Seen with {role}. {lab}. Plan: repeat bloods in {duration} and continue {med}.",
    "Transferred from {facility} at {time}. {vitals}. Takes {fraction} of a tablet of {med:drug} "
    "as advised.",
    "{young_age:a} ex-smoker since {year}. No known drug allergies. {role} present.",
    "Discussed with {role} on {weekday}. Will increase {med} and recheck {lab} in {duration}.",
    "Code {icd} added to problem list. Moved to {state} in {year}, family in {country}.",
    "Reviewed in clinic at {facility}. {vitals}. No change to {med}.",
)

RECORD_TEMPLATES: tuple[str, ...] = (
    "RADIOLOGY REPORT\nPatient: {patient:caps}  {mrn:labelled}  DOB: {dob}\nExam: CT head "
    "without contrast ({cpt})  Date: {date}\nReferring: {doctor}",
    "LAB REPORT | {patient:caps} | DOB {dob} | MRN {mrn} | Collected {date} {time} | {lab}",
    "Name: {patient}\nDOB: {dob}\nSSN: {ssn}\nAddress: {address}\nPhone: {phone}",
    "MEDICATION LIST for {patient} ({dob})\n1. {med}\n2. {med2}\n3. {med3}\nPrescriber: "
    "{doctor}, NPI {npi}",
    "Implant record: pacemaker serial {serial}, UDI {udi}, implanted {date} by {doctor}.",
    "UDI: {udi}\nPatient: {patient}\nImplant date: {date}",
    "Insurance: Medicare MBI {plan}\nSecondary: member ID {plan2}\nSubscriber: {patient}, "
    "DOB {dob}",
    "Billing account {account} | Guarantor {person} | {address} | Balance due by {date}",
    "Claim for {patient}, member {plan}, DOS {date}, CPT {cpt}, dx {icd}. Bill to account "
    "{account}.",
    "Portal access log: user {email} logged in from {ip} on {date} at {time}.",
    "Audit: record of {patient} (MRN {mrn}) viewed from {ip} at {time} on {date:short}.",
    "Prescriber: {doctor}  DEA: {dea}  NPI: {npi}  Lic: {licence}",
    "Provider directory: {doctor:plain}, MD, license {licence}, NPI {npi}, fax {phone}",
    "Referral form | Patient: {patient} | NHS No {nhs} | GP: {doctor} | Tel {phone} | "
    "Postcode {zip}",
    "NHS number: {nhs}\nHospital no: {mrn}\nName: {patient:caps}\nDOB: {dob}",
    "Emergency contact: {person} ({role}), {phone}, {email}",
    "ECG {date} {time}: sinus rhythm, HR 72. Patient {patient:caps}, {age:aged}.",
    "Specimen: urine MC&S. Patient {patient:caps}, {mrn:labelled}, ward 7B. Received {date} "
    "{time}.",
    "Parking permit issued to {patient} for vehicle {plate} until {date:month}.",
    "Vehicle on hospital record for blue badge: {plate}, VIN {vin}. Holder {patient}, "
    "{address:street}.",
    "DEVICE: CPAP machine SN {serial}, issued {date} to {patient:caps}, {city}.",
    "Hearing aid L SN {serial}  R SN {serial2}  fitted {date:short}",
    "Consent form signed by {patient} on {date}. Witness: {person}. Interpreter: n/a.",
    "Demographics updated {date}: new address {address}; new mobile {phone}; email {email}.",
    "Appointment letter sent to {patient:titled}, {address:lines}",
    "PATIENT: {patient:caps}\nAGE: {age:bare}\nCOUNTY: {county}\nZIP: {zip}",
    "Remote monitoring: ICD serial {serial}, transmission received {date} {time} from "
    "home hub at IP {ip}.",
    "Payment received for account {account} from {person} on {date}. Ref {cpt}.",
    "Patient-shared link: {url:personal} (page about {patient:first}'s illness). Not "
    "clinically relevant.",
    "Driver licence {dl} verified for {patient} at check-in, {date:short}.",
    "Fax cover: To {doctor} at {phone}. From {facility}. Re: {patient}, DOB {dob}. Pages: 4.",
    "Employer health screen: {patient}, work email {email}, plan ID {plan}, SSN {ssn}.",
    "Next of kin: {person}, {address}, tel {phone}",
    "Self-pay: {patient}, SSN {ssn}, account {account}, statement sent {date:short}.",
    "Security alert: failed logins for {email} from {ip}; account locked {date} {time}.",
    "Bed manager {time}: {patient:caps}, {mrn}, {age:bare} yrs, awaiting bed on ward 12 from "
    "{facility}.",
    "Staff contact: {doctor}, {staff_email}, bleep {phone}",
    "Telehealth link for {patient}: {url:portal} (sent to {email} on {date:short})",
    "IV pump asset SN {serial} assigned to {patient:caps} at {time}; removed {date:short}.",
    "CT CHEST WITH CONTRAST ({cpt})\nPatient: {patient:caps}   DOB: {dob}   {mrn:labelled}\n"
    "Date of exam: {date}   Time: {time}\nOrdering physician: {doctor}, NPI {npi}\n"
    "Clinical history: {young_age:aged}, smoker since {year}, {duration} of cough.\n"
    "Findings: no pulmonary embolus. Report sent to {staff_email} and faxed to {phone}.",
    # No identifier.
    "Vitals at {time}: {vitals}",
    "Labs: {lab}. Codes: {icd}, {cpt}.",
    "Meds: {med}; {med2}; {med3:drug} stopped in {year}.",
    "Dx {icd}. CPT {cpt}. Facility: {facility}. Duration {duration}.",
    "{weekday} {time}: {vitals}. {lab}.",
    "Allergies: none known. Age: {young_age:bare}. Country of birth: {country}.",
    "Problem list: {icd}, {icd2} (since {year}). Followed at {facility}.",
)
