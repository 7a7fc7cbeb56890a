"""Hand-written message templates for repeat prescriptions and test results.

Hard negatives kept on purpose: an "emergency supply" of tablets left at home and tablets run
out two days ago while feeling fine are refills, not emergencies; a missed call about results is
about results, not a booking; asking whether drug levels from a blood test are back is results.
"""

CARE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "prescription_refill": (
        "Can I order a repeat prescription for my {med} please?",
        "need more {medication}, only got 3 left",
        "Hi, I've run out of my {med}. Could you send a prescription to my usual pharmacy? Date "
        "of birth {dob}.",
        "Repeat rx request: {med}, {med2}. Thanks",
        "The pharmacy says they haven't received my prescription for {medication} yet. I ordered "
        "it {on_past}. Can you check it was sent?",
        "Dear Doctor, I would like to request my usual repeat prescription of {med}, to be "
        "collected from the pharmacy at {site}. Many thanks.",
        "my {medication} isnt on my repeat list anymore?? been on it for years, can it be added "
        "back and sent to the chemist",
        "Could {clinician} please issue a prescription for {med}? I'm going away for {duration} "
        "and will need enough to cover the trip.",
        "Please can I have my [blue|brown|preventer] inhaler on repeat again, I'm down to my "
        "last one.",
        "Hello, ordering repeat meds for my mum (DOB {dob}): {med} and {med2}. She will collect "
        "them {date}.",
        "Is my prescription ready? I ordered the {medication} {duration} ago",
        "I'm on {med} and the chemist gave me a different brand this time. Can you make sure the "
        "next prescription says the usual one?",
        "{clinician} said to increase my dose of {medication}, but my repeat prescription still "
        "has the old dose. Can it be updated before I order again?",
        "Rx refill pls - {med}",
        "I'm due my {med} next week. Can the prescription be sent electronically to the "
        "pharmacy near work instead of the usual one?",
        "can i get an emergency supply of {medication}, i left mine at my sisters and im not "
        "back till {date}",
        "Good morning, I'd like to order my monthly prescriptions: {med}, {med2} and {med3}. "
        "Same pharmacy as always. Thank you.",
        "My {medication} request was rejected online, it says 'review needed'. I've still got "
        "{duration} worth left. What do I need to do to get it reissued?",
        "Please could you send a repeat of the {medication} {clinician} prescribed last month? "
        "It's helping a lot.",
        "Hi, I ran out of my {med} two days ago. I feel completely fine but need more today if "
        "possible.",
        "need my rx renewed",
        "{medication} refill pls",
        "repeat script please",
        "The hospital started me on {med} after my stay on the {department} ward and said my GP "
        "would carry on prescribing it. Can you add it to my repeat prescriptions?",
        "Hello, my son's {medication} is running low, can we get another prescription before "
        "{date}?",
        "Can you do 3 months of my {medication} instead of 1 this time? Going travelling for "
        "{duration}.",
        "prescription for my {medication} please, same as last time. collecting {when}",
        "I've been taking {med} for {duration} and it's on repeat. Could you authorise the next "
        "lot? The app won't let me order it.",
        "Hi there, I ordered my {medication} {on_past} but the pharmacy only gave me half. They "
        "said the rest is owed but it's been {duration}. Can you chase it, or issue a new "
        "prescription so I can get it somewhere else? I only have a couple of days left and "
        "I don't want to miss any doses.",
        "Just need my usual pills sent to the pharmacy pls, {medication} and {medication2}, DOB "
        "{dob}",
    ),
    "test_results": (
        "Are my {test} results back yet?",
        "hi any news on my {test} from {past}?",
        "I had a {test} at {site} {on_past}. Could someone let me know the results, or will "
        "{clinician} be calling me?",
        "My {test} results came back [borderline|abnormal|not quite normal|unclear] and I'm not "
        "sure what that means. Could a doctor explain?",
        "Dear Dr, I received a letter saying my {test} results were abnormal, but it did not say "
        "what the next steps are. Could you please advise?",
        "whens my results coming, had bloods done {duration} ago",
        "The app shows my {test} result as 'satisfactory, no further action'. Does that mean "
        "everything is normal?",
        "Hi, I'm messaging about my mum's {test} results, she had it done {on_past}. She has "
        "given consent for me to speak on her behalf. Her DOB is {dob}.",
        "Could you email me a copy of my {test} and {test2} results please? I need them for my "
        "{department} appointment.",
        "Did my urine sample show an infection? I dropped it in {on_past}.",
        "Still waiting to hear about my {test}. It's been {duration} and nobody has called.",
        "I missed a call from {clinician} about my results. Can they call me back on {phone}? I'm "
        "free after {time}.",
        "Were my cholesterol levels ok? Had the test with {clinician} {past}.",
        "results?? {test} ref {reference}",
        "any results yet?",
        "{test} results in?",
        "Hello, I had a {test} at the hospital {on_past} and was told the results would go to my "
        "GP. Have you received them?",
        "My iron came back [low|a bit low|borderline] on my last bloods. Do I need to do "
        "anything or will the doctor be in touch?",
        "Good afternoon. Could you confirm whether the results of my {test} have been reviewed "
        "by {clinician}? I have an operation scheduled for {date} and the surgeon needs them "
        "beforehand.",
        "can u tell me if my smear results are back, its been ages",
        "I got a text saying my {test} results are normal, no action needed. Just to double "
        "check - does that include the {test2}?",
        "Hi, my son had a {test} at {department} last week. When will we know the results?",
        "Please could you let me know the outcome of my {test}? I'm quite anxious about it and "
        "would rather know either way.",
        "Where can I see my test results online? I had a {test} done {past} but there's nothing "
        "in the app.",
        "Has {clinician} looked at my {test} yet? I was told it would take {duration}.",
        "my {test} was {past}, have the results come back normal",
        "I had a {test} after my fall and the hospital said they'd send the report to you. Has it "
        "arrived, and is there anything in it I should know about?",
        "Hello, I'm chasing the result of the swab taken {on_past} - I need to know if I'm clear "
        "before I go back to work.",
        "What did my {test} show? Nobody has told me anything.",
        "I'm on lithium and need my levels checked regularly. Have the results from the blood "
        "sample I gave {on_past} come through yet, and do I need to change anything? The last time "
        "it took nearly {duration} for anyone to get back to me, so I thought I would ask "
        "early this time.",
    ),
}
