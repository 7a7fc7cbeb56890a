"""Hand-written message templates for billing, opening hours and everything else.

Hard negatives kept on purpose: a missed-appointment fee for a cancelled visit is billing, the
hours of the pharmacy where a prescription waits are opening hours, "who do I call out of hours,
it's not an emergency" is opening hours, and a thank-you for an appointment is other.
"""

ADMIN_TEMPLATES: dict[str, tuple[str, ...]] = {
    "billing": (
        "I've received an invoice ({reference}) for {amount} but I thought this was covered by "
        "my insurance. Can you check?",
        "why was i charged {amount}?? i never had any treatment",
        "Can I pay my bill over the phone? Invoice number {reference}.",
        "Dear Sir/Madam, I have been charged a missed appointment fee of {amount} for my "
        "appointment {on_past}. However, I cancelled this appointment by telephone two days "
        "beforehand. I would be grateful if you could remove the charge.",
        "how much does a private {test} cost",
        "Do I have to pay for my prescriptions? I'm over 60 and have a medical exemption "
        "certificate.",
        "I paid {amount} {on_past} but my account still shows it as outstanding. Reference "
        "{reference}.",
        "Hi, can you send an itemised receipt for my {department} appointment {on_past}? I need "
        "it for an insurance claim.",
        "My insurer has asked for a treatment code and an invoice for my {test}. Who can I get "
        "those from?",
        "Could I set up a payment plan for the outstanding balance of {amount}? I can't pay it "
        "all at once.",
        "I was charged twice for my appointment with {clinician}: {amount} came out of my "
        "account {on_past} and again {on_past2}.",
        "invoice {reference} - is this right? {amount} seems a lot for a 10 minute appt",
        "How much do you charge for [a medical report for my insurer|a private sick note|a "
        "fitness to drive medical|a holiday cancellation form]?",
        "Do you accept [card payments|American Express|bank transfer] for {department} sessions?",
        "Hello, the bill for my son's {test} went to our old address. Could you resend it to me "
        "by email? Ref {reference}.",
        "I'm disputing charge {reference}. The {test} was meant to be free under my plan.",
        "Good morning, I'd like a refund of {amount}. I paid for a session in {department} "
        "{on_past} that the clinic cancelled.",
        "is the {test} covered by insurance or will i have to pay",
        "invoice {reference}?? whats this for",
        "how do i pay my bill",
        "Could you tell me how much I owe? I received a reminder letter but it doesn't show the "
        "amount.",
        "My card was declined when I tried to pay for my appointment online. Can I pay some "
        "other way?",
        "Please can you confirm you've received my payment of {amount} for invoice {reference}?",
        "I've received a debt collection letter for an invoice I have never seen. Reference "
        "{reference}, {amount}. Can you look into it please?",
        "Hi, who do I speak to about a billing error? I was billed for {department} but I've "
        "never been seen there.",
        "does my health insurance cover sessions with {clinician}? and if not whats the price "
        "per session",
        "How much is a prescription charge now, and can I buy a prepayment certificate from you?",
        "Hello, can you split the bill for my two children's appointments into separate "
        "invoices? Their dad and I each pay for one.",
        "payment for {reference}: sent {amount} by bank transfer today, please mark it as paid",
        "I got an invoice for {amount} for my {test} {on_past}. My employer's health scheme is "
        "supposed to pay for this, so could you please bill them directly instead and cancel "
        "the invoice sent to me? I can send you the scheme details and my membership number "
        "if you need them.",
    ),
    "opening_hours": (
        "What time do you open {on_date}?",
        "are u open saturdays",
        "Hello, what are the opening hours for {site} over the bank holiday weekend?",
        "When is the blood clinic open? Do I need to book or can I just walk in?",
        "What time does {department} close today? I want to drop off a sample.",
        "Is the pharmacy at {site} open late on Thursdays?",
        "Who do I contact when the surgery is closed? It's not an emergency, but I might need "
        "advice over the weekend.",
        "Dear reception, could you please tell me your opening times over Christmas and New "
        "Year? I may need to collect a prescription.",
        "what time does reception open in the morning, i want to ring at the right time",
        "Are you open {date}?",
        "How late is the walk-in centre open tonight?",
        "Is the surgery open in the evenings or at weekends at all? I work 9 to 5.",
        "What time is the last appointment of the day at {site}?",
        "Hi, is {department} at {site} open on Saturday mornings or only on weekdays?",
        "Are you closed for staff training {on_date}? Someone mentioned it.",
        "What are the visiting hours on the {department} ward? My dad is an inpatient there.",
        "when does the phone line open? been trying since 8",
        "Is the x-ray department open at weekends or only Monday to Friday?",
        "What time do you stop taking blood samples in the afternoon?",
        "Good morning, is the practice open over Easter? And if not, which number should I "
        "call?",
        "Hello, I've heard you're changing your hours from {date}. What will the new opening "
        "times be?",
        "Is the nurse clinic open over lunch, around {time}?",
        "opening times pls",
        "open {date}?",
        "what time do u close today",
        "Does {site} open at 8 or 8.30? I need to get there before work.",
        "Is the out-of-hours service open all night, or just until midnight?",
        "Hi, can you tell me if the travel vaccination clinic runs on Fridays, and what the "
        "hours are?",
        "What time does the pharmacy close on Sundays? I need to pick up my {medication}.",
        "Are you open on the public holiday {on_date}, or should I go to {site}?",
        "Hello, I'm a carer and can only get away for an hour or so in the early mornings or "
        "late afternoons. Could you tell me the earliest time the doors open and the latest "
        "time you close on weekdays, and whether the hours at {site} are the same?",
    ),
    "other": (
        "Thank you so much to {clinician} for being so kind at my appointment yesterday.",
        "How do I register as a new patient?",
        "I've moved house. How do I update my address on your system?",
        "Can I get a copy of my medical records?",
        "wrong number sorry",
        "I need a fit note for work. The hospital signed me off and it runs out {on_date}.",
        "Is there parking at {site}?",
        "Please update my mobile number to {phone}.",
        "I'd like to make a complaint about the way I was spoken to at reception {on_past}.",
        "ok thanks",
        "thanks!",
        "how do i register",
        "Where exactly is {department}? Which entrance should I use?",
        "Do you have a hearing loop and wheelchair access at {site}?",
        "Can the doctor write a letter for my son's school about his nut allergy? What "
        "information do you need from us?",
        "Is it true you are merging with another practice?",
        "I'd like to opt out of my data being shared for research.",
        "Can my partner pick up my sick note for me?",
        "Do you have any jobs going? I'm a qualified nurse.",
        "How do I sign up for the patient app?",
        "Hi, I'm a carer for my mum, {patient_name}. How do I get added as her named carer so "
        "you can speak to me?",
        "test message",
        "great, see you then",
        "I forgot my password for the online portal, how do I reset it?",
        "Can you recommend a good dentist nearby?",
        "I'm writing to say a big thank you to everyone in {department} for looking after my "
        "dad during his stay.",
        "How do I change my named GP to {clinician}?",
        "I'd like to join the patient participation group. Who do I contact?",
        "can i bring my dog to my appointment? hes an assistance dog",
        "What's the best way to give feedback about the new online booking system?",
        "Do I need to wear a mask when I come in {on_date}?",
        "My name is spelled wrong on my records, it should be {patient_name}.",
        "Hello, I am writing on behalf of my elderly father, who is not very confident with "
        "computers. He would like to give me permission to manage his online account and see "
        "his letters. Is there a form for this, and can it be posted to him?",
    ),
}
