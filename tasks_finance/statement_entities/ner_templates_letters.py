"""Hand-written templates for prose around a statement: letters and notices from the bank, and
customer emails about a payment. Same slot syntax as ner_templates_lines; an email's writer is
"{person9}", as in the sign-offs noise adds (ner_noise.SIGNOFFS).

Hard negatives kept on purpose: "call us on {phone}", "at {time}", "{percent} APR", "the bank"
and "your employer" as common nouns, a card number that fails Luhn quoted as a complaint
number, an IBAN the app rejected ("{bad_iban}").
"""

NOTICE_TEMPLATES: tuple[str, ...] = (
    "Dear {person:titled}, we received a payment of {money} on {date} into your account "
    "ending {account:last4}.",
    "Dear Customer, your card ending {card:last4} was used for {money} at {merchant} on {date} "
    "at {time}. If this wasn't you, call us on {phone}.",
    "We have been unable to collect your Direct Debit of {money} to {payee} due on {date}. A "
    "fee of {money2} may apply.",
    "Your new card {card:masked} has been dispatched and should arrive by {date}.",
    "Important: from {date}, the interest rate on account {account:masked} will change from "
    "{percent} to {percent2}.",
    "Dear {person:titled}, following our review, {bank} has refunded {money} to your account "
    "{account:sortcode}.",
    "A payment of {money} to {person} ({iban}) has been held for security checks. Reference "
    "{ref}.",
    "Your salary from {employer} of {money} was credited on {date}.",
    "{bank}: we have blocked card {card:masked} after suspicious activity at {merchant}. Case "
    "reference {ref}.",
    "We are writing to let you know that your arranged overdraft limit will increase to "
    "{money} from {date}.",
    "Confirmation of Payee: the name you entered, {person}, does not match the account "
    "{account:sortcode}. Please check with {generic:payee} before you send {money}.",
    "Your international payment of {money} to {iban} was returned by the beneficiary bank on "
    "{date}. Charges of {money2} were deducted.",
    "Dear {person:titled}, your mortgage payment to {bank} of {money} is due on {date}. Please "
    "make sure funds are available in account {account:full}.",
    "A chargeback of {money} from {merchant} was credited to card {card:masked} on {date}.",
    "We tried to call you on {phone} at {time} on {date} about a payment of {money}.",
    "Your account will be closed on {date}. Any remaining balance will be sent to {iban}.",
    "Fees for {date:month}: unarranged overdraft fee {money}, returned item fee {money2}.",
    "Dear {person}, thank you for switching to {bank}. Your old account {account:sortcode} "
    "will be closed on {date} and its payments redirected.",
    "Please find enclosed your annual summary. Total interest paid: {money}. Tax year ending "
    "{date}.",
    "As requested, your standing order to {payee} for {money} was cancelled on {date}.",
    "Your replacement card ending {card:last4} is on its way. Your old card will stop working "
    "on {date}.",
    "{person:titled}\n{address}\n{town} {postcode}\n\nRe: account {account:full}",
    "We deducted {money} tax ({percent}) from the interest paid to you on {date}.",
    "Security alert: {person} was added as a new payee on {date} at {time}. Not you? Call us "
    "on {phone}.",
    "{bank} will take {money} from card {card} on {date} for your annual account fee.",
    "The refund of {money} from {merchant} for order {order} has been paid to card "
    "{card:masked}.",
    "Your loan of {money} at {percent} APR will be repaid in [24|36|48|60] monthly payments of "
    "{money2}, the first on {date}.",
    "To receive payments from abroad, give the payer your IBAN {iban} and our BIC {bic}.",
    "We have asked {merchant} to return {money}; the acquirer reference is {arn}.",
    "A new Direct Debit to {payee} (creditor id {creditor_id}) was set up on {date}.",
    # No entity.
    "We will never ask for your full PIN or password. If in doubt, hang up and call {generic} "
    "on {phone}.",
    "[Our branch|The branch] will be closed on bank holidays; normal opening hours are {time} "
    "to {time2}.",
    "Your online banking password was changed at {time}. If this wasn't you, please contact "
    "{generic} straight away.",
    "From next month the rate on your savings will be {percent} AER (variable).",
    "Your complaint reference is {bad_card}. We will reply within [5|10] working days.",
)

EMAIL_TEMPLATES: tuple[str, ...] = (
    "Hi, I paid {money} to {payee} on {date} but {generic:payee} says it still hasn't arrived. "
    "My account number is {account:full}.",
    "I don't recognise a charge of {money} from {merchant} on my card {card:masked}, and "
    "{generic:merchant} won't answer. Can you stop it?",
    "Can you confirm the IBAN for {employer}? I have {iban} but my payment was returned.",
    "My employer, {employer}, says my salary of {money} was sent on {date}, but I can't see it "
    "in my account.",
    "Please refund the {money} you charged me on {date}. My order number is {order}.",
    "I sent {money} to {person} by mistake - sort code and account {account:sortcode}. How do "
    "I get it back?",
    "hi i think someone used my card {card:full} at {merchant} for {money}, please cancel it",
    "Dear {bank} team, I'd like to set up a standing order of {money} a month to {person}, "
    "IBAN {iban}, starting {date}.",
    "The direct debit to {payee} went out twice on {date} ({money} each). Reference {ref}.",
    "Could you send me my statements for {date:month} and {date2:month}? My new postcode is "
    "{postcode}.",
    "I rent from {payee} and my rent of {money} was due on {date}. I paid it from account "
    "{account:masked} - can you check it went through?",
    "Why was I charged {percent} interest? My balance was only {money}.",
    "Who is {merchant:caps} {store}? It's on my statement for {money} and I don't remember "
    "buying anything.",
    "Hi {person:first}, I've transferred {money} for the holiday to your account ending "
    "{account:last4}. Let me know when it lands!",
    "I'm trying to pay {person} {money} at IBAN {iban} but the app says the details are wrong, "
    "even though I copied them from the invoice.",
    "Please note that {employer} has changed bank. Our new IBAN is {iban}, BIC {bic}. Please "
    "update your records before paying invoice {ref}.",
    "Can I get a letter confirming that {money} was paid to {payee} on {date}? Please call me "
    "on {phone} after {time}.",
    "Dear Sir/Madam, I am writing to dispute the transaction of {money} dated {date} to "
    "{merchant}, which I did not authorise.",
    "Which card did I use for the {merchant} purchase, {card} or {card2}?",
    "I was charged a foreign transaction fee of {money} on a {money2} purchase in {town}. Is "
    "that right?",
    "refund from {merchant} for order {order} still not showing, {generic:merchant} said they "
    "sent it on {date}",
    "This is {person9}. Please cancel my payment to {payee} that is scheduled for {date}.",
    "The cheque for {money} from {employer} bounced and {generic:bank} charged me {money2}. "
    "What happens now?",
    "Hi, the invoice says {money} but {money2} left my account. Invoice number {ref}.",
    "I need to pay a deposit of {money} to {iban} by {date}. Is there a limit on international "
    "transfers?",
    "I lost my card ending {card:last4} this morning. Please block it and send a new one to "
    "{postcode}.",
    "Hello, my name is {person9} and I closed my account with {bank} on {date}, so why am I "
    "still getting statements?",
    "My mum {person} wants to send me {money} from {bank}. Should she use my IBAN {iban} or "
    "sort code and account {account:sortcode}?",
    "There's a payment to {merchant:caps} {store} for {money} on {date} that I didn't make.",
    "I was quoted a rate of {rate} but {bank} converted my {money} at a worse one on {date}.",
    "Is the sort code {sort_code} right for {bank}? I want to pay in {money}.",
    "Please update my address to {address}, {town} {postcode} for account {account:full}.",
    "{merchant} charged my card {card:masked} {money} twice. The dispute form gave me tracking "
    "number {bad_card}.",
    "I typed {bad_iban} for the payee and the app says it is not a valid IBAN, but {money} "
    "still left my account.",
    # No entity.
    "Hi, I still haven't received my refund. Can you check please? You can reach me on "
    "{phone}.",
    "How long does a transfer to another bank usually take? I sent it at {time}.",
    "Why has my interest rate gone up to {percent}? Nobody told me.",
    "I tried to pay {generic} but reference {ref} was rejected. What format do you need?",
    "I'm still waiting on complaint {bad_card} - nobody from {generic} has replied since "
    "{time}.",
)
