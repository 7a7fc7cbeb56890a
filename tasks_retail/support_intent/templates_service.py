"""Hand-written message templates for payment, product, account and conversational intents.

As in templates_orders, some templates sit close to another intent on purpose: a complaint about
the chatbot beside a request for a human, a double charge beside a refund, an unsubscribe
request beside a complaint about marketing emails.
"""

SERVICE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "payment_issue": (
        "my card keeps getting declined",
        "I was charged twice for order {order}, {amount} came out of my account two times.",
        "Payment failed at checkout but the money has still left my account.",
        "The discount code {code} isn't working, it just says invalid.",
        "Can I pay with {payment}? I don't see it as an option at checkout.",
        "I tried to pay with {payment} and the page just keeps loading forever.",
        "Why is there a pending charge of {amount} from you when I didn't place an order?",
        "the instalment plan says my payment is overdue but i already paid the first one",
        "checkout wont accept my billing address so i cant pay",
        "Hi, I've been charged {amount} but the order total was lower. Can someone check why?",
        "My gift card balance isn't being applied at checkout.",
        "The app says 'payment authorisation failed' every time I try to buy the {item}.",
        "I paid but never got an order confirmation, was the payment taken or not?",
        "promo code didnt apply and i paid full price, can u fix it",
        "Can I split the payment between a gift card and {payment}?",
        "I need a VAT invoice for the {amount} I paid on {date}, where can I download it?",
        "The 3D Secure code never arrives on my phone so I can't complete the payment.",
        "There's a charge from your company on my statement that I don't recognise, {amount} on "
        "{date}.",
        "Tried {count} different cards and every one gets rejected. My bank says there's nothing "
        "wrong on their side, so what's going on with your payment page?",
        "why was my {payment} payment put on hold",
        "[My|The] payment [won't|doesn't] go through at checkout.",
        "[Why was|Why's] my [card|{payment}] [declined|rejected|refused]? [There's|I have] "
        "[plenty of|enough] money on it.",
        "I've been [charged|billed] [twice|two times|double] for the [same order|{item}].",
        "[The|Your] [voucher|discount code|promo code] {code} [doesn't work|won't apply|isn't "
        "accepted].",
        "[Do you accept|Can I use] {payment} [to pay|for payment|at checkout]?",
        "[There's|I see] an [unknown|unexpected|extra] charge of {amount} [on my card|on my "
        "statement|from you].",
        "An error comes up when I [try to pay|enter my card details|click pay now].",
        "[My|The] {payment} [payment|transaction] [failed|was cancelled] but [I was still "
        "charged|the money was taken].",
        "Hello, I've been trying to place an order for the {item} all evening. Every time I "
        "enter my card details and press pay, it thinks for a while and then says 'something "
        "went wrong, please try again'. My bank app shows no declined attempts, and I've tried "
        "both the website and the app. Is there a problem with your payment system?",
        "Hi, I'd like to query a charge. I placed one order on {date} for {amount}, but my "
        "{payment} statement shows two separate payments to you for the same amount a minute "
        "apart. I've only received one order confirmation. Could you check and reverse the "
        "duplicate?",
    ),
    "product_question": (
        "is this available in {colour}",
        "Does the {product} come in {size}?",
        "What material is the {item} made of? I'm allergic to wool.",
        "Will the {brand} {product} be back in stock soon?",
        "Does the {product} come with a warranty, and how long is it?",
        "How does the sizing run on the {brand} {product}? I'm normally a {size}.",
        "whats the difference between the two {product} models on your site",
        "Is the {product} machine washable?",
        "do u have the {item} in stock in your {city} store",
        "What are the dimensions of the {product}? I need to know if it will fit in my flat.",
        "Is the {colour} closer to the photo or darker in real life?",
        "I'm thinking of buying the {item} as a gift. Does it come in a gift box?",
        "When are you getting more sizes of the {product}? {size} has been sold out for ages.",
        "Is the {product} vegan? I can't find it anywhere in the description.",
        "Do you ship the {product} to {city}, and how much would delivery cost?",
        "how long does the battery last on the {brand} {product}",
        "Are the {product} true to size or should I size up?",
        "Can I get the {product} engraved or personalised?",
        "Hi, quick question before I order. The {item} says 'limited edition' - is that the same "
        "as the regular one apart from the colour?",
        "is the {brand} {product} any good for someone with a bad back",
        "[Is|Are] the {product} [available|in stock] in {size}?",
        "[Do you|Will you] [have|get] the {item} [back in stock|restocked] [soon|this "
        "month|before {date}]?",
        "[What size|Which size] [should I get|would you recommend] in the {product}? I'm usually "
        "{size}.",
        "[Can you tell me|What is] the [material|fabric] of the {product}?",
        "Does the {brand} {product} [come with|need] [a charger|batteries|a case]?",
        "[Is|Are] the {product} [waterproof|water resistant|suitable for kids]?",
        "[How heavy|How big|How wide] is the {product}?",
        "[Is there|Do you have] a size guide for the {brand} [range|{product}]?",
        "Hi, I'm interested in the {brand} {product} but I have a couple of questions first. Is "
        "it the newer version that was released this year, and does it come with a UK plug? "
        "Also, is there any warranty included if I buy it from you rather than directly from "
        "{brand}?",
        "Hello, I'm trying to choose a size for the {product}. I'm usually a {size} in most "
        "brands but I've read that yours come up small. I'd like to wear it with a thick jumper "
        "underneath. What would you recommend?",
    ),
    "complaint": (
        "worst customer service ever",
        "I'm really disappointed with the quality of the {item}. It fell apart after one wash.",
        "This is the third time an order from you has gone wrong. I'm honestly done shopping here.",
        "Your driver was incredibly rude to my elderly mother when he dropped off the parcel "
        "today.",
        "I've emailed {count} times and nobody has replied. This is unacceptable.",
        "The {brand} {product} is cheap rubbish and nothing like what you advertise.",
        "absolutely shocking service, never again",
        "I want to make a formal complaint about how my order {order} was handled.",
        "The staff at your {city} store were unhelpful and made me feel like a nuisance.",
        "Your website is so slow and confusing, it took me half an hour to find anything.",
        "You keep sending me marketing emails every single day after I unsubscribed, it's "
        "ridiculous.",
        "I paid {amount} for this {product} and it broke the first time I used it. Really poor.",
        "Waited {ago} for my order and the packaging was a mess, not impressed at all.",
        "Your chatbot keeps going round in circles and never answers my question. Very "
        "frustrating.",
        "I'm leaving a 1 star review, the {product} smells of chemicals and the seams are coming "
        "apart.",
        "Not happy that you cancelled my order without even telling me.",
        "how is it acceptable that a {amount} {product} comes with scratches all over it",
        "I've been a loyal customer for years and this is how you treat me? Disgraceful.",
        "The prices went up again and the quality keeps going down. Used to love this shop.",
        "your returns process is a joke, took me an hour on hold",
        "[I'm|I am] [really|very|extremely] [unhappy|disappointed|annoyed] with [your "
        "service|the {product}|how I've been treated].",
        "[Terrible|Awful|Appalling|Dreadful] [service|quality|experience], [I won't be ordering "
        "again|never shopping here again|avoid this shop].",
        "The quality of [the {product}|your products] [has gone downhill|is awful|is really "
        "poor] [lately|these days].",
        "I [want to|would like to] [complain|make a complaint] about [a member of staff|your "
        "delivery driver|the {city} store].",
        "[Nobody|No one] has [replied|answered] to my [emails|messages], [this is "
        "ridiculous|really poor service].",
        "[Honestly|Frankly] [the worst|the most frustrating] [shopping experience|online shop] "
        "I've ever [dealt with|used].",
        "[Very|Really] [poor|bad] [experience|service] with order {order}. [Not "
        "impressed|Shocking].",
        "The {product} [I got|you sent] is [nothing like|worse than] the [pictures|description], "
        "[what a waste of money|total rip off].",
        "I want to put on record how disappointed I am. I ordered the {item} as a gift, it "
        "arrived {ago} late, the box was tatty and the item itself looks cheap and nothing like "
        "the pictures. I've spent a lot of money with you over the years and this has really put "
        "me off. Very poor.",
        "I visited your {city} store on {date} and the experience was awful. The staff were "
        "chatting among themselves, ignored me at the till for ten minutes and were rude when I "
        "asked for help finding a size. I've never been treated like that in a shop before.",
    ),
    "account": (
        "I can't log in",
        "How do I reset my password? The reset email never arrives.",
        "I want to change the email on my account to {email}.",
        "Please delete my account and all the data you hold on me.",
        "My account has been locked after too many login attempts.",
        "I forgot which email I used to sign up, can you help me find my account?",
        "how do i change my password on the app",
        "I never got the verification email when I signed up with {email}.",
        "Where can I see my loyalty points? They disappeared from my account.",
        "someone else might be using my account, there are orders in my history i didnt make",
        "Can I merge my two accounts? I have one under {email} and another under my work email.",
        "How do I unsubscribe from your emails?",
        "The app keeps logging me out every few minutes.",
        "Can I update the phone number on my profile to {phone}?",
        "How do I turn off two factor authentication? I got a new phone.",
        "my account says it doesnt exist but ive ordered from you loads of times",
        "Is it possible to check out as a guest without making an account?",
        "I'd like to change the name on my account, I recently got married.",
        "Hi, I signed up with {email} years ago and no longer have access to that inbox. How can "
        "I get into my account now?",
        "login page says incorrect password but i just reset it",
        "[I can't|Can't|I'm unable to] [log in|sign in|get into my account] [on the app|on the "
        "website|anymore].",
        "[How do I|Can I] [change|update|reset] my [password|email address|username]?",
        "[The|My] password reset [link|email] [doesn't work|has expired|never comes].",
        "[Please|Can you] [close|delete|deactivate] my account[, I don't use it anymore| please|].",
        "[My account is|I'm] [locked|blocked|suspended] [and I don't know why|after trying to "
        "log in].",
        "[Where do I|How do I] [change|manage] my [email preferences|marketing "
        "preferences|newsletter settings]?",
        "I [want to|need to] [update|change] the email [address|] [on|linked to] my account[ to "
        "{email}|].",
        "[My|The] [loyalty|reward] points [haven't been added|are missing] for order {order}.",
        "Hi, I've been trying to log into my account all week. I reset my password twice and the "
        "reset emails do arrive, but when I enter the new password it says my details are "
        "incorrect. I've tried the app and the website on two different devices. My account "
        "email is {email}. Can you help?",
        "Hello, please can you permanently delete my account and any personal data you hold "
        "about me, including my saved addresses and card details. I no longer shop with you and "
        "would like confirmation once it's done. The account is registered under {email}.",
    ),
    "talk_to_human": (
        "human please",
        "Can I speak to a real person?",
        "I need to talk to someone about order {order}, this bot isn't helping.",
        "Please have someone call me back on {phone}.",
        "transfer me to an agent",
        "Is there a phone number I can call? I'd rather explain this to a person.",
        "Let me speak to your manager. Now.",
        "I don't want automated answers, connect me with customer service.",
        "agent",
        "Can a member of your team contact me at {email}? It's complicated and I'd rather not "
        "type it all out here.",
        "I've tried the help pages and the bot, can I just chat to a human about my {product}?",
        "is there anyone real there??",
        "representative",
        "Hi, could I arrange a call with someone from the returns team? My number is {phone}.",
        "Get me a supervisor, I've been going round in circles for {ago}.",
        "Please escalate this to a human, I want a proper answer about my refund.",
        "live chat with a person pls",
        "What hours is your phone line open? I need to speak to someone today.",
        "I'd like to speak with an actual employee rather than a chatbot, is that possible?",
        "REAL PERSON",
        "[Can I|Could I|I want to] [speak|talk|chat] [to|with] [a real person|a human|an "
        "agent|someone from customer service][ please|]?",
        "[Put me through|Connect me|Transfer me] to [a human|a person|an agent|customer "
        "service][ please|].",
        "[I need|I'd like] [a call back|someone to call me][ on {phone}|].",
        "[Is there|Do you have] a [phone number|helpline|number] I can [call|ring]?",
        "[Stop|No more] [bots|automated replies], [I want|let me talk to] a human.",
        "[Can|Could] [a manager|a supervisor|someone senior] [contact me|get in touch|call me]?",
        "[Please|Can you] [pass|hand] this [on|over] to [a human|a real agent|your team][, the "
        "bot can't help|].",
        "[Speak to|Talk to] [human|agent|person]",
        "I've been going back and forth with this chat for twenty minutes and it keeps giving me "
        "links to the same help articles, which don't cover my situation. My issue is quite "
        "complicated and involves two orders. Please can I speak to an actual person who can "
        "look at my account?",
        "Hi, I'd prefer to discuss this over the phone rather than in writing. Could someone "
        "from your customer service team ring me on {phone} between 9 and 5 tomorrow? It's about "
        "order {order}. Thanks.",
    ),
    "other": (
        "hi",
        "hello, anyone there?",
        "thanks, that's all I needed",
        "What's the weather going to be like in {city} tomorrow?",
        "Are you hiring? I'd like to apply for a job at your {city} store.",
        "What time does the {city} store close on Sundays?",
        "tell me a joke",
        "I'd like to discuss a partnership between our brand and your shop.",
        "test",
        "ok thank you bye",
        "Do you know a good Italian restaurant near {street}?",
        "nvm, figured it out",
        "Good morning! Hope you're having a nice day.",
        "Is this a real company or a scam? Just want to be sure before I do anything.",
        "Can you recommend a good book for my holiday?",
        "My name is {name}, nice to meet you",
        "What's the capital of Australia?",
        "I'm a journalist writing about online shopping, who can I contact for a comment?",
        "wrong chat sorry",
        "who won the football last night",
        "[Hello|Hey|Hiya|Good evening][!|]",
        "[Thanks|Thank you|Cheers][,|!] [that's great|that helps|perfect]",
        "[Can you|Could you] [help me with|do] my [homework|maths homework|essay]?",
        "[What's|Whats] the [time|date] [today|right now]?",
        "[How are you|How's your day going|How's it going][?| today?]",
        "[I'm|Im] [bored|just browsing|just looking around]",
        "[Do you|Does your company] [sponsor|support] [local charities|school events|sports "
        "clubs]?",
        "[Sorry|Oops], [wrong window|didn't mean to send that|ignore that]",
        "Hi! I'm not a customer, I'm a student doing a project on how online shops look after "
        "their customers. Would anyone at your company be willing to answer a few questions for "
        "a survey? It should only take ten minutes.",
        "Hello, I was in your {city} store on {date} and I think I left my umbrella by the "
        "changing rooms. It's a black one with a wooden handle. Has anyone handed it in?",
    ),
}
