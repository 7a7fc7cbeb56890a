"""Hand-written message templates for symptoms: routine ones and red-flag emergencies.

The boundary is written the way a triage nurse draws it, and every template is meant to be
unambiguous to one:

- emergency: a red flag happening now or just now: chest pain that is crushing, spreading or
  comes with sweating, breathlessness or faintness; struggling to breathe or blue lips; stroke
  signs (face drooping, slurred speech, a weak arm, sudden loss of vision); thunderclap
  headache; bleeding that will not stop, coughing up blood, heavy bleeding in pregnancy; any
  suicidal thoughts or self-harm, an overdose or a child who swallowed tablets; anaphylaxis;
  collapse, unresponsiveness, a long or first seizure; a floppy or unresponsive baby, a baby
  under three months with a fever of 38 or more, a rash that does not fade under a glass with a
  fever; sepsis signs; severe burns. A red flag wins over any other request in the message.
- symptom_report: non-urgent symptoms or questions about them, and each template that comes
  near a red-flag word says why it is not one (a chest that aches only when coughing and is
  getting better, a nosebleed that stopped, a bump on the head with no sickness or dizziness,
  low mood with no thoughts of self-harm, a toddler with a mild temperature who is feeding and
  playing). Anything still in doubt was left out rather than labelled routine.
"""

TRIAGE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "symptom_report": (
        "I've had {symptom} for {duration}. Is it anything to worry about?",
        "My 4 year old has had a runny nose and a mild temperature (37.9) since yesterday but is "
        "eating, drinking and playing as normal. Should I keep him off nursery?",
        "hi, ive had a scratchy throat for {duration}, no fever, can still eat and drink fine. "
        "should i just wait it out?",
        "Since starting {med} I've had a dry tickly cough that won't go away. Could that be a "
        "side effect?",
        "The muscles in my chest ache from coughing so much with this cold. It only hurts when I "
        "cough, my breathing is fine and it's getting better every day. Is that normal?",
        "I get a bit lightheaded when I stand up quickly, it passes after a few seconds and I "
        "feel fine otherwise. Is that something I should mention to {clinician}?",
        "Small itchy rash on my [arms|legs|tummy] since I changed washing powder. No swelling "
        "anywhere and no trouble breathing. What can I put on it?",
        "Dear Doctor, for the last {duration} I have been waking up with a stiff and aching "
        "lower back. It eases once I get moving. I wondered if there are any exercises you "
        "would recommend.",
        "my knee clicks and aches after running, no swelling. ice or heat?",
        "{symptom} again, what can i take for it?",
        "{symptom} for {duration}, is that normal?",
        "I had a nosebleed this morning that stopped after ten minutes of pinching. I've had a "
        "couple this month. Is that something to worry about?",
        "My gums bleed a little when I brush my teeth. Should I see a doctor or a dentist?",
        "Quick question - I've been feeling really tired for {duration} even though I'm sleeping "
        "okay. Could it be my thyroid?",
        "I've got {symptom}. What's the best thing to take for it?",
        "Mild tension headaches most afternoons this week, paracetamol helps. Probably too much "
        "screen time? Any advice?",
        "I've been feeling low and anxious for a few weeks and I'm not sleeping well. I'm not "
        "having any thoughts of hurting myself, I just don't feel like me. What support is "
        "there?",
        "My daughter (2) has a slight temperature and is grizzly with teething, but she is "
        "feeding well and has plenty of wet nappies. Is it ok to give her calpol?",
        "Had my [flu jab|covid booster|tetanus jab] yesterday and my arm is sore and a bit red "
        "where the needle went in. Is that normal?",
        "Ive had a tickly cough for {duration} after a cold, otherwise fine. Do I need "
        "antibiotics?",
        "My ankle is still a bit swollen a week after I twisted it, though I can walk on it ok. "
        "Should it have gone down by now?",
        "Hello, I've noticed a mole on my back looks darker than it used to. It's not bleeding "
        "or itchy. Is this something that needs checking?",
        "hayfever is really bad this year, eyes streaming and sneezing all the time, "
        "antihistamines not doing much. anything stronger i can try?",
        "Since {past} I've had a burning feeling when I pee and need to go more often. No fever "
        "or back pain. Could it be a water infection?",
        "My blood pressure readings at home have been around 142/90 this week. I feel fine. "
        "Should I be concerned?",
        "I think I have {symptom}, it's been bothering me for {duration}. Is there anything I can "
        "do at home?",
        "Been getting pins and needles in my fingers at night, goes away when I shake my hand. "
        "Carpal tunnel?",
        "My husband has been snoring loudly and seems tired during the day. Is this worth "
        "looking into?",
        "A bit wheezy at night since the hay fever started, but my inhaler sorts it straight "
        "away and I can talk and walk normally. Is there anything else I can try?",
        "I have had some mild stomach cramps and loose stools since {past}. I'm drinking plenty "
        "and keeping food down. How long should this last?",
        "My eczema has flared up on my hands with the cold weather, the skin is cracked and "
        "sore. What cream would you suggest?",
        "Bumped my head on a cupboard door this morning, just a small lump. No dizziness or "
        "sickness, I'm not on blood thinners and I feel totally normal. Anything I should "
        "watch out for? I've read a lot of scary things online and would like to know what "
        "the real warning signs are, just so I know for the future.",
    ),
    "emergency": (
        "My dad has crushing chest pain going down his left arm and he's sweating. What do I "
        "do??",
        "cant breathe properly, chest really tight and my lips look blue",
        "CHEST PAIN and left arm numb, sweating",
        "husband collapsed not responding",
        "I think my mum is having a stroke, her face is drooping on one side and her speech is "
        "slurred",
        "my husband suddenly can't lift his right arm and his words are coming out wrong",
        "My baby is floppy and won't wake up properly for feeds. She's 3 months old.",
        "I cut my hand badly with a kitchen knife and it won't stop bleeding. I've been pressing "
        "on it for 20 minutes and it has soaked through two towels.",
        "I don't want to be alive anymore and I've been thinking about how I would do it.",
        "My son ate something with peanuts, his lips and tongue are swelling and he says his "
        "throat feels tight. [We've used his EpiPen.|We can't find his EpiPen.]",
        "Grandad has collapsed in the kitchen and isn't responding when we talk to him",
        "Worst headache of my life, came on suddenly about an hour ago. I've been sick and the "
        "light hurts my eyes.",
        "My [6 week old|2 month old|8 week old baby] has a temperature of [38.5|38.2|39] and "
        "isn't feeding",
        "help my daughter has a rash that doesnt fade when i press a glass on it and shes got a "
        "high fever and is very sleepy",
        "I have an appointment with {clinician} {when} but I've had chest pain for the last "
        "hour and I feel clammy and sick. Should I still wait for the appointment?",
        "My friend has taken a load of tablets, she says about 30 paracetamol, around an hour "
        "ago",
        "I'm [32|28|35] weeks pregnant and bleeding heavily, with bad pain in my stomach.",
        "My toddler has swallowed some of my {medication} tablets, I don't know how many. He "
        "seems drowsy.",
        "Stung by a wasp 10 mins ago, now covered in hives, my face is swelling up and I'm "
        "getting wheezy",
        "my wife is having a seizure that has been going on for over 5 minutes, she's never had "
        "one before",
        "Coughing up blood, quite a lot of it, and I'm short of breath",
        "I'm on my own, feeling very dizzy with a racing heart and chest pain. I think I'm going "
        "to pass out.",
        "My dad fell off a ladder and hit his head. He's on warfarin and keeps being sick, and "
        "now he seems confused.",
        "Dear Doctor, I am writing on behalf of my wife. For the last half hour she has been "
        "unable to speak properly and the left side of her face looks lopsided. Should I bring "
        "her in to the surgery?",
        "My asthma is really bad, my inhaler isn't helping at all and I can't finish a sentence "
        "without stopping for breath",
        "Sudden loss of vision in my left eye about 20 minutes ago, like a curtain coming down.",
        "I've been self harming tonight and the cut on my arm is deep and won't stop bleeding",
        "my son is diabetic, his sugar is really low and he's confused and shaking, he can't "
        "eat or drink anything",
        "The baby isn't breathing normally, she's making grunting noises and her skin looks blue "
        "around her mouth",
        "Urgent: my father has a very high temperature, he's shivering and confused, and his "
        "skin looks blotchy and mottled. He had a urine infection last week.",
        "Pain in my chest like a tight band, spreading to my jaw and back. It started 20 mins "
        "ago while I was gardening and I'm really short of breath.",
        "Hi, my wife has just passed out and is breathing strangely, we can't wake her up.",
        "I spilled boiling water over my son's chest and arm, the skin is blistering over a "
        "large area and he is screaming.",
        "is A&E open now? my son's lips are swelling after eating nuts and he's struggling to "
        "breathe",
        "Lately I keep thinking everyone would be better off without me and tonight I've started "
        "planning how to end it. I'm scared of what I might do. I don't really know why I'm "
        "messaging the surgery, I just needed to tell someone.",
        "I came in for my {test} this morning and since lunch my throat has swollen up, my lips "
        "are puffy and it's getting hard to breathe.",
        "I'm [20|24|16] weeks pregnant and I've suddenly started bleeding heavily, with cramping "
        "pains that keep coming.",
        "My mum is really unwell: breathing fast, confused, cold and clammy, and she hasn't "
        "passed any urine all day.",
        "my husband is diabetic, he's drowsy and sweaty and not making sense, his sugar reading "
        "is 2.1 and he won't take anything by mouth",
        "My daughter pulled a pan of hot oil over herself, there are large burns on both legs "
        "and she's screaming.",
        "Sudden explosive headache at the back of my head, the worst pain I've ever had, and my "
        "neck has gone stiff.",
        "I suddenly can't see out of one eye and the left side of my face feels numb.",
        "My son (10) just had a fit at school, his first ever, and he's still very drowsy and not "
        "himself.",
        "baby has a high temp, hates the light and has purple spots that don't fade when I press "
        "a glass on them",
        "My newborn (3 weeks) feels very hot, the thermometer says [38.3|38.1|38.6] and he's not "
        "interested in feeds.",
        "Nosebleed that has been pouring for 40 minutes and won't stop even with pinching. I'm on "
        "blood thinners and I feel faint.",
        "my 2 year old is breathing really fast, sucking in under his ribs and can hardly cry",
        "My teenage daughter has just told me she took a whole packet of her antidepressants "
        "this afternoon.",
        "Dad is having a fit and it won't stop, he's been shaking for ages and his lips are going "
        "blue",
    ),
}
