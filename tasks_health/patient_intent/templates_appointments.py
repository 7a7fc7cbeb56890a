"""Hand-written message templates for booking, moving and cancelling appointments.

Slots in braces are filled by slots.SLOT_FILLERS ("{date2}" is a second date); "[a|b]" picks one
of its alternatives ("[a|]" makes a part optional), so one template covers the small rewordings
patients make.

The three intents sit close on purpose (hard negatives): "I'll book again later" is still a
cancellation, moving a test is a reschedule, and a medication review or a results talk that is
being booked is a booking. The rule a receptionist would use decides: what does the patient ask
the clinic to do with the diary now?
"""

APPOINTMENT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "book_appointment": (
        "Hi, can I book an appointment with {clinician} please? Any day next week is fine.",
        "need an appt asap for {symptom}, whens the next one",
        "I'd like to make an appointment in {department} about {symptom}. Mornings suit me best.",
        "Do you have anything {when}? I need to see a doctor about {symptom}.",
        "can i get booked in for a {test} pls",
        "Dear Sir/Madam, I should be grateful if you would arrange an appointment for me with "
        "{clinician} at your earliest convenience. I am free {on_date} and {on_date2}. Yours "
        "faithfully",
        "Hello, my GP referred me to {department} and the letter says to contact you to book. "
        "Can I do that by email? My reference is {reference}.",
        "is there any chance of a slot {date}? [morning|afternoon] ideally, its for my [son|"
        "daughter|little one] who has {symptom}",
        "I'm new to the area and have just registered. How do I book my first check-up with "
        "{clinician}?",
        "Could I please book a [double|longer] appointment with {clinician}? I have a couple of "
        "things to discuss, including {symptom}.",
        "book me in w {clinician} pls, {date} or {date2} after {time}",
        "My {medication} review is due and the pharmacist said I need to see {clinician} first. "
        "When is the next available appointment?",
        "I was told to book a follow-up with {department} {duration} after my operation. Can I "
        "have something around {date}?",
        "Hi is it possible to get a phone appointment {date}? I work shifts so after {time} is "
        "best. My number is {phone}.",
        "{clinician} asked me to have a {test} before my next visit. Can you book me in for it?",
        "appointment for [flu jab|covid booster|travel vaccinations] please. {patient_name}, dob "
        "{dob}",
        "Hello, I'd like to see a female doctor about {symptom}. Is there one available [this "
        "week|next week|any time soon]?",
        "Can my husband and I both be booked in for our [annual review|health check] on the same "
        "day? Any time {date} would suit.",
        "I got a text asking me to book my [asthma review|diabetes check|blood pressure check]. "
        "What times have you got {date}?",
        "need to see someone about {symptom}, been going on {duration} now. first available pls",
        "Good afternoon. I would like to arrange an appointment for my mother, who is 84, with "
        "{clinician}. She is hard of hearing, so a face to face appointment would be best. She "
        "can come any morning except {date}. Her date of birth is {dob}. Thank you for your "
        "help.",
        "can i book a same day appt? want to get {symptom} looked at",
        "I'd like to book a [smear test|contraception review|coil check] with {clinician}. Any "
        "chance of {when}?",
        "Please could you book me in for a {test}? {clinician} wants it done within {duration}.",
        "Hello! Looking to book an initial assessment with {department}. I have {symptom} that "
        "hasn't improved with stretches. Is {when} possible?",
        "Im a student home for the holidays, can I still get an appt here? Need to see a dr "
        "about {symptom}",
        "Hi there, the health visitor said to book the baby's [six week check|8 week "
        "jabs|12 week jabs]. Can we come in {when}? Thanks, {patient_name}",
        "Could you fit me in with {department} before {date}? I'm going abroad for {duration} "
        "and want {symptom} checked first.",
        "appointment pls",
        "can i see a dr {date}?",
        "need an appt w {clinician}",
        "Hi, can I make an appointment for {symptom}? Not urgent, any time in the next couple of "
        "weeks is ok.",
    ),
    "reschedule_appointment": (
        "Can I move my appointment {on_date} to later in the week?",
        "hi need to reschedule my appt with {clinician}, {when} doesnt work anymore",
        "I have an appointment in {department} {when} but I've been called into work. Could we "
        "change it to {date2}?",
        "Is it possible to swap my {test} from {date} to {date2}? Same time if possible.",
        "Dear team, due to a family commitment I am unable to attend my appointment with "
        "{clinician} {on_date}. I would be grateful if you could offer me an alternative date. "
        "Kind regards",
        "can we push my {department} appt back a week? cant make {date}",
        "My appointment letter says {when} but I'll be on holiday then. What else do you have?",
        "Could I change my appointment {on_date} to a phone call instead, and ideally "
        "{on_date2}?",
        "I need to rearrange {when} with {clinician}, any chance of {date2} instead?",
        "running late for my {time} appt, can I come later today instead or move it to another "
        "day?",
        "Hello, my son has an appointment in {department} {on_date} but it clashes with his "
        "exams. Could we move it to the following week, after {time} please?",
        "can my {test} be moved from {date} to {date2}? forgot i have a work trip",
        "I've got a {department} appointment, ref {reference}, {on_date}. Can I bring it "
        "forward? I'm free {date2} if anything comes up.",
        "Hi there, is there an earlier slot than {when}? Happy to come at short notice if "
        "someone cancels.",
        "Need to change the time of my appointment {date} from {time} to something after "
        "{time2} if poss",
        "Apologies for the short notice but my car has broken down. Can my appointment with "
        "{clinician} {when} be moved to another day this week?",
        "Could you change my daughter's vaccination appointment? We can't do {date}, but any time "
        "{date2} works.",
        "My {medication} review is booked for {when}. Can we do it a bit later in the month "
        "instead?",
        "I'd like to reschedule the follow-up where we go through my {test} results, the current "
        "date {date} clashes with a hospital appointment.",
        "resched pls - {clinician} {date} to anytime {date2}",
        "Good morning. I am booked in for a {test} at {site} {on_date}. Would it be possible to "
        "have it at your other site instead, on the same day or the day after?",
        "Hi im booked with {clinician} tmrw but ive got a cold, can I move it to next week so i "
        "dont pass it on?",
        "Can my annual review be moved from {when} to an afternoon? I've started a new job and "
        "can't get mornings off.",
        "I need to postpone my {department} appointment until after {date}. I'm having surgery "
        "on my hand and can't drive till then.",
        "can i change my appointment day",
        "move my appt to {date} pls",
        "can I do {date2} instead of {date}?",
        "Please could you move my mum's appointment with {clinician}? She's booked for {date} "
        "but I can't drive her until {date2}. Her date of birth is {dob}.",
        "Hi, I booked online for {when} by mistake, I meant to pick {date2}. Can you switch it?",
        "The hospital has moved my operation to {date}, which is the same day as my "
        "{department} appointment. Could you find me a new date for that one? I'd rather keep "
        "the same doctor, {clinician}, if that is possible, and any afternoon the week after "
        "would be fine for me.",
    ),
    "cancel_appointment": (
        "Please cancel my appointment {on_date}.",
        "hi can u cancel my appt w {clinician} {when} thx",
        "I won't be able to make my {department} appointment {date}, please cancel it and give "
        "the slot to someone else.",
        "Dear Sir or Madam, I am writing to cancel my appointment with {clinician} {on_date} at "
        "{time}. I no longer require it as my symptoms have resolved. Thank you.",
        "I need to cancel my {test} {on_date}. I'll book again when I'm back from holiday.",
        "cancel my appt {date} pls, it was about {symptom} but thats cleared up now",
        "My dad passed away last week. Please cancel his appointment with {clinician} "
        "{on_date}. His date of birth was {dob}.",
        "Can you cancel my {department} sessions please? My knee is much better and I don't need "
        "any more.",
        "Not going to make it {when}, sorry. Please cancel.",
        "cancel {when} pls",
        "cant make it {date}, cancel pls",
        "I'd like to cancel my appointment, ref {reference}. I've been seen privately in the "
        "meantime.",
        "We need to cancel our son's appointment {date} in {department}, we have moved out of "
        "the area.",
        "Cancel appointment. {patient_name}, {date}",
        "Hello, I had a booking {when} for a {test} but my consultant says I don't need it any "
        "more. Could you take me off the list please?",
        "Could you cancel all my upcoming appointments? I'm moving abroad for {duration}.",
        "pls cancel tomorrows appt, feeling better now",
        "I booked two appointments by accident, one {on_date} and one {on_date2}. Please cancel "
        "the second one.",
        "Hi, I won't need my {medication} review {date} as I've stopped taking it on the "
        "consultant's advice. Please cancel it.",
        "I have to cancel today's appointment with {clinician}, my childminder has let me down. "
        "I'll call to rebook when I can.",
        "Please remove me from the {department} waiting list, I've had the procedure done "
        "elsewhere.",
        "Can I cancel online or do I need to ring? I want to cancel my appointment {when}.",
        "cancel my flu jab appt pls, already had it at the pharmacy",
        "I would like to cancel the home visit booked for my mother {on_date}. She has been "
        "admitted to hospital, so she won't be at home.",
        "Sorry for the late notice but I need to cancel my {time} today. Won't be able to get "
        "there.",
        "Good evening. Please cancel my appointment for a {test} at {site} {on_date}. I do not "
        "wish to reschedule at this time.",
        "do i need to cancel my appt if im not coming? its with {clinician} {on_date}. if so pls "
        "cancel it",
        "Hi there, just to let you know I won't be attending my {department} appointment "
        "{on_date}. Please cancel it - after a lot of thought I've decided not to go ahead with "
        "the treatment for now. Thank you to everyone for your patience with me.",
        "we no longer need the appointment for the baby's weigh-in {when}, the health visitor "
        "did it at home. please cancel",
        "Cancel my booking with {clinician} {when} please, no need to rebook.",
    ),
}
