"""Hand-written message templates for the order-related intents.

Slots in braces are filled by slots.SLOT_FILLERS; "[a|b]" picks one of its alternatives ("[a|]"
makes a part optional), so one template covers the small rewordings customers make.

Templates close to another intent's are kept on purpose (hard negatives): a status question
beside a delivery gone wrong, a return beside a refund beside a cancellation, so a model has to
read the request and not just the nouns.
"""

ORDER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "order_status": (
        "where's my order??",
        "Hi, can you tell me the status of order {order}?",
        "has my order shipped yet",
        "I placed an order on {date} and haven't had a shipping confirmation yet. Could you let "
        "me know when it will be sent out?",
        "When will my {item} arrive? Order number {order}.",
        "any update on {order}? just want to know when to expect it",
        "Tracking says the parcel is with {carrier} now, do you know roughly what day it'll get "
        "to {city}?",
        "I ordered the {item} {ago} ago. Is it still being processed or has it gone out?",
        "whats the eta on my order {order}",
        "Could you send me the tracking number for my order please? I can't find it in my emails.",
        "Is order {order} going to arrive before {date}? It's a birthday present so I'm just "
        "checking, no rush otherwise.",
        "Hello, I'd like to check on the progress of my order. It was paid with {payment} on "
        "{date}, order ref {order}.",
        "status of order {order} pls",
        "The website still says 'processing' for my order. Does that mean it hasn't been packed "
        "yet?",
        "Has the {brand} {product} I bought been dispatched? I chose express delivery.",
        "How do I track my order? I got a confirmation email but no link.",
        "Just checking in on order {order} - has it left the warehouse yet?",
        "It says out for delivery today, any idea what time the {carrier} driver will come? I need "
        "to know if I should stay home.",
        "I ordered {count} items on {date}, will they come together in one parcel or separately?",
        "when is my stuff coming",
        "[Can you|Could you|Can u] [check|look up] [where my order is|where my parcel is]? "
        "[Order|Ref] {order}.",
        "Has order {order} been [sent|dispatched|shipped] yet or is it still [being "
        "processed|waiting in the warehouse]?",
        "I [ordered|bought] the {item} on {date}, when [should|can] I expect [it|delivery]?",
        "[Do you have|Is there] an [estimated delivery date|ETA|expected delivery date] for "
        "order {order}?",
        "I haven't had a [shipping|dispatch] email for my order yet, is that normal? It's only "
        "been a couple of days.",
        "Hello, what's the status of my {product} order? I'd like to [plan to be home|make sure "
        "someone's in] for it.",
        "[order|parcel|delivery] status?",
        "Can you tell me which courier is delivering order {order}? I'd like to track it myself.",
        "Hi there, I ordered the {item} on {date} for my daughter's birthday and chose standard "
        "delivery. I haven't had any emails since the order confirmation and my account page "
        "just says 'order received'. Could you let me know whether it has been dispatched and "
        "roughly when it will arrive? Order number is {order}.",
        "Good morning. I'm moving out of my flat at the end of the month so I just want to make "
        "sure order {order} will arrive before then. It was placed on {date} and paid with "
        "{payment}. Could you give me an estimated delivery date? Thanks for your help.",
    ),
    "delivery_problem": (
        "my parcel says delivered but it's not here",
        "Tracking for order {order} hasn't updated in {ago}. It's been stuck at the {carrier} "
        "depot in {city} and I'm starting to worry it's lost.",
        "The {item} arrived completely smashed, the box was crushed on one side.",
        "Order {order} was supposed to arrive on {date} and there's still no sign of it.",
        "The {carrier} driver left my package outside in the rain and the {product} is soaked.",
        "I got a card saying they tried to deliver but I was home all day and nobody knocked!",
        "my package was delivered to the wrong house, the photo shows a door that isn't mine",
        "I only received part of my order, the {product} is missing from the box.",
        "parcel lost??? its been {ago} and tracking just says in transit",
        "Hi, the tracking shows my order was delivered in {city} but I live in a completely "
        "different city. Can you look into it?",
        "The courier marked it as delivered at 2pm but there was nothing at my door or with my "
        "neighbours. Order {order}.",
        "Your delivery guy threw my parcel over the fence and the {product} inside is broken.",
        "Delivery failed three times now, {carrier} keeps saying 'address not accessible' which "
        "is nonsense.",
        "The box arrived open and empty. What happened to my {item}?",
        "Still waiting for my delivery, it's {ago} past the date you promised.",
        "My order was sent back to you by {carrier} even though the address was correct. I still "
        "want the {product}.",
        "package came but it's someone else's order, not my {item}",
        "the tracking number you gave me doesn't work on the {carrier} website and the parcel is "
        "overdue",
        "Received the parcel today but the {product} inside is cracked and the glass is "
        "everywhere.",
        "NEVER ARRIVED. order {order}",
        "My parcel [is|seems to be] [lost|missing]. Order {order}, it [should have|was meant to "
        "have] arrived {ago} ago.",
        "The {product} arrived [damaged|broken|dented|badly scratched] because of "
        "[terrible|really poor|cheap] packaging.",
        "{carrier} [says|claims] my parcel was [left in a safe place|delivered to reception|left "
        "on my porch] but [it isn't there|I never got it|there's nothing there].",
        "The delivery was due on {date} and it's now [very late|a week late|well overdue]. Where "
        "is it?",
        "[Someone|A stranger] signed for my parcel but it wasn't me and I have no idea who it was.",
        "The {carrier} [driver|courier] [left|dumped] my parcel [by the bins|at the front "
        "gate|at the wrong door] and now it's [gone|missing].",
        "Half my order [is missing|never came]: I [got|received] the {product} but not the rest.",
        "[Parcel|Item|Box] arrived [wet through|crushed|torn open], the {product} is "
        "[ruined|unusable]",
        "Hello, I'm writing about order {order}. The {carrier} tracking said it was delivered "
        "yesterday afternoon with a photo, but the photo shows a front door I don't recognise "
        "and there is nothing at my address on {street}. I've asked all my neighbours and nobody "
        "has it. What can you do?",
        "My order finally arrived today after being {ago} late, and when I opened it the {item} "
        "was damaged - the corner is dented and one of the parts has snapped off. The outer box "
        "had clearly been dropped. I really needed this for the weekend.",
    ),
    "cancel_order": (
        "cancel my order pls",
        "I'd like to cancel order {order}, I ordered the wrong size by mistake.",
        "Can I still cancel if it hasn't shipped yet? Order {order}.",
        "please cancel the {item} from my order, I want to keep the rest",
        "Hi, I placed two identical orders by accident on {date}. Could you cancel one of them?",
        "I found the {product} cheaper elsewhere so I don't want it anymore, please cancel it "
        "before it ships",
        "CANCEL ORDER {order}, I never meant to buy this",
        "How do I cancel an order on the app? I can't see a cancel button anywhere.",
        "My order has been 'processing' for {ago}, I'd rather just cancel it at this point.",
        "I need to cancel my order, the delivery date is after I leave for {city} so there's no "
        "point anymore.",
        "is it too late to cancel? i only ordered 20 minutes ago",
        "Please stop order {order}. My partner already bought the same {product}.",
        "Please don't send order {order}, I've changed my mind about the {item}.",
        "Can you cancel my pre-order for the {brand} {product}? I no longer need it.",
        "cancel the whole order, not just one item",
        "I ordered {count} of the {product} instead of one by mistake, can you cancel the extras?",
        "If I cancel order {order} today will I be charged anything?",
        "Accidentally hit buy now on the {item}, can you cancel that before it goes out?",
        "I want to cancel. Order {order}. Ordered it on {date} and it still hasn't been "
        "dispatched, so I'll buy it in a shop instead.",
        "how do i cancel an order i placed as a guest",
        "[I want to|I'd like to|Please can you] cancel [my order|order {order}] [please|straight "
        "away|right now].",
        "Can I cancel just [one item|the {product}] [from|in] order {order}?",
        "I [ordered|placed an order] [by mistake|by accident|twice by mistake], [can you|please] "
        "cancel [it|the second one].",
        "[Stop|Cancel] the order, [I don't need it anymore|I've bought it somewhere else|I "
        "changed my mind].",
        "Is there a way to cancel an order that's already been [paid for|confirmed]?",
        "I need to cancel order {order} [urgently|as soon as possible], the {item} was for an "
        "event that's been called off.",
        "[Will you|Can you] still cancel my order if it's [already|just been] packed?",
        "Please cancel my order for the {item} and [don't send it|don't ship anything].",
        "Hi, I placed order {order} this morning for the {item} but I've just realised I already "
        "have one at home that I'd forgotten about. It hasn't been dispatched yet according to "
        "the website. Could you please cancel the whole order before it goes out? I don't want "
        "anything else instead.",
        "I ordered the {product} on {date} with next day delivery, but it's now showing a "
        "delivery date of {date2}, which is too late for what I needed it for. At this point I'd "
        "rather not have it at all. Please cancel it.",
    ),
    "change_address": (
        "I need to change my delivery address",
        "Can I change the shipping address on order {order}? I've just moved to {street}, {city}.",
        "I put the wrong house number in, it should be {street}. Can you fix it before it ships?",
        "Please send order {order} to my work address instead: {street}, {city}.",
        "Is it possible to redirect my parcel to a pickup point? I won't be home on {date}.",
        "I typed my old address by mistake, can you update it to {street}?",
        "change address on my order pls, new one is {street} {city}",
        "Can the {item} be delivered to my neighbour at number 14 instead?",
        "My postcode is wrong on the order confirmation. How can I correct it?",
        "Hi, I'll be staying in {city} next week. Could you ship order {order} there rather than "
        "to my home address?",
        "Can I add a flat number to the delivery address? The courier won't find it otherwise.",
        "I ordered a gift and want it to go straight to my sister in {city}, can I change where "
        "it's sent?",
        "wrong address on order {order}!! it needs to go to {street}",
        "Is it too late to change the address if the order has already been handed to {carrier}?",
        "Could you update the recipient name and address on order {order}? It's for {name} at "
        "{street}, {city}.",
        "I moved house last week and forgot to update the address before ordering the {product}. "
        "The new address is {street}.",
        "Can I change the delivery address after checkout?",
        "Please deliver to {street}, not my billing address, I picked the wrong one at checkout.",
        "need to update the shipping address for {order} asap, the old one is a place I no longer "
        "live at",
        "Can you change the delivery address on my order from {city} to my parents' place?",
        "[How do I|Can I|Can you] [update|change|correct] the [delivery|shipping] address "
        "[on|for] [my order|order {order}]?",
        "[The address on my order is wrong|I entered the wrong address]. [It should be|The "
        "correct one is] {street}, {city}.",
        "Can you [send|ship|redirect] [my parcel|order {order}] to {street} instead of [my home "
        "address|the address I gave]?",
        "Please [change|amend] the postcode on order {order}, I [made a typo|got one digit wrong].",
        "[I'm|We're] moving on {date}, can [the {product}|my order] [go|be sent] to the new "
        "address at {street}?",
        "Change [shipping|delivery] address to {street}, {city} [please|pls]",
        "Could the courier [deliver|drop it] to [my office|my work address|a parcel locker] "
        "instead of [home|my house]? I'm out all day.",
        "I [forgot|left off] the [apartment|flat] number [in|on] my address for order {order}, "
        "can you add it?",
        "Hello, I've just placed order {order} and only noticed afterwards that it's going to my "
        "old address in {city}. I moved out last month and someone else lives there now. The "
        "correct delivery address is {street}, {city2}. Could you please update it before the "
        "parcel is handed to the courier?",
        "Hi, I'm going to be away on {date} when my {product} is due. Rather than it sitting on "
        "the doorstep, could you send it to my mum's house instead? Her address is {street}, "
        "{city}. The order number is {order}. Thank you so much.",
    ),
    "return": (
        "how do I return something",
        "I'd like to return the {item} from order {order}, it doesn't fit.",
        "Can I exchange the {product} for a different size? I need {size}.",
        "What's your return policy? I bought the {item} {ago} ago and it's not what I expected.",
        "I need a return label for order {order} please, there wasn't one in the box.",
        "Can I return an online order to the store in {city}?",
        "The {item} looks nothing like the photos, I want to send it back.",
        "i received the wrong colour, ordered {colour} but got a different one. how do i send it "
        "back and get the right one?",
        "Is the return free or do I have to pay for the postage myself?",
        "Hi, I've printed the return label but the {carrier} drop off point near me is closed. Can "
        "I use a different courier?",
        "how many days do i have to return the {product}",
        "Want to swap the {product} for the {colour} one, is that possible?",
        "The {brand} {product} stopped working after a week. Can I return it to you or does it "
        "have to go to the manufacturer?",
        "I bought this as a gift, can the person I gave it to return it without the receipt?",
        "Started a return on the app for order {order} but it says the item isn't eligible. Why?",
        "Do I need the original packaging to send back the {product}?",
        "returning the {product}, too small. where do i send it",
        "I'd like to return part of my order - just the {item}, I'm keeping everything else.",
        "Hello, I ordered {count} sizes of the {product} to try on. I'm keeping one, how do I "
        "send the others back?",
        "can i drop a return off at the post office or does it have to be {carrier}",
        "[How do I|How can I|What's the process to] [return|send back] [the {item}|an item|my "
        "order]?",
        "I want to [return|send back] the {product}, [it's too big|it's too small|it doesn't "
        "suit me|I don't like it].",
        "Can I [exchange|swap] the {product} for [a different colour|another size|a {colour} one]?",
        "[Do you|Can you] [send|email] me a [return label|returns label|prepaid label] for the "
        "{product}?",
        "Is it too late to return [something|the {product}] I bought on {date}?",
        "[Where|How] do I [book|arrange] a [collection|courier pickup] for my return?",
        "I [received|got] the wrong [item|size] and [need to|want to] send it back for [the "
        "right one|an exchange].",
        "Can I still return [the {product}|it] [if I've|even though I've] [worn it once|opened "
        "the box|taken the tags off]?",
        "Hi, I bought the {item} {ago} ago and, while it's lovely, it's just not the right fit "
        "for me. It's unworn with the tags still on and in the original bag. Can you tell me how "
        "to send it back and whether I need to print anything? I'd like to use a {carrier} drop "
        "off if possible.",
        "Hello, the {product} I received is a different model from the one in the pictures on "
        "your site. I'd like to send it back and swap it for the one I actually ordered. Do you "
        "arrange a collection or do I need to take it somewhere myself?",
    ),
    "refund": (
        "where is my refund",
        "I returned the {item} on {date} and still haven't been refunded.",
        "How long does a refund take to show up on my {payment}?",
        "You only refunded {amount} but I paid more than that for the {product}.",
        "My order {order} was cancelled {ago} ago and the money still hasn't come back to my "
        "account.",
        "Can I get my refund as store credit instead of back to my card?",
        "The {carrier} tracking shows you received my return on {date}. When will the refund be "
        "processed?",
        "refund for {order} pls, its been {ago}",
        "I was told I'd get a full refund for the damaged {product} but nothing has arrived.",
        "Hi, I'm still waiting on {amount} from my return. The email said 3-5 working days and "
        "it's been {ago}.",
        "Why was the shipping cost not included in my refund?",
        "I just want my money back for order {order}.",
        "the refund went to my old card which is closed now, what happens to the money?",
        "Got an email saying my refund was issued but my bank says there's nothing pending.",
        "Do you refund the return postage if the item was faulty?",
        "Can you confirm the refund amount for the {item}? I paid {amount} with {payment}.",
        "You took a restocking fee off my refund and nobody mentioned that when I sent it back.",
        "i paid with {payment}, will the refund go back there or somewhere else?",
        "Sent the {product} back {ago} ago, you've had it since {date}. Where is my money?",
        "has my refund been processed yet? order {order}",
        "[When|How soon] will I [get|receive] my refund for [order {order}|the {item}]?",
        "[I still haven't|Still haven't] [received|got] [my refund|the money back] for [my "
        "return|order {order}].",
        "[Can you|Could you please] [check|chase] [the status of my refund|what's happening with "
        "my refund]?",
        "I was supposed to get {amount} back but [only got part of it|nothing has come through].",
        "Refund [please|pls] - [the {product} was faulty|I sent everything back] and I want my "
        "money back.",
        "[How long|How many days] do refunds [take|usually take] [to go through|to process]?",
        "The refund [hasn't shown up|isn't showing] on my {payment} [statement|account] yet.",
        "You [approved|accepted] my return {ago} ago [but|and] I'm still [waiting for|missing] "
        "{amount}.",
        "Hi, I sent back the {item} on {date} using the prepaid label, and the tracking shows it "
        "was delivered to your warehouse {ago} ago. Your website says refunds are processed "
        "within 5 working days but I still haven't seen anything on my {payment}. Can you tell "
        "me what's happening with my money?",
        "I cancelled order {order} on {date} before it was dispatched, and got an email "
        "confirming the cancellation. However the {amount} I paid has not come back to my "
        "account. My bank says the payment was completed on your side. Please can you look into "
        "this and let me know when I'll be refunded.",
    ),
}
