"""Hand-written overall-opinion sentences (verdicts) and aspect-free filler sentences.

Same syntax as templates_product, and the same mirrors: the three verdict tables are written
side by side ("Would buy again" / "I wouldn't buy it again" / "Might buy again, might not")
and an index is held out of all three at once. A verdict is the reviewer's opinion of the
purchase as a whole and names no aspect: money words ("waste of money") are left out of
verdicts, since an opinion about value is a price opinion. Understated approval ("does the
job", "it's fine") is a neutral verdict; negated criticism ("not bad at all", "couldn't be
happier") is positive and negated approval ("not impressed", "wouldn't buy it again")
negative.

Fillers carry no opinion: context that opens a review, sentences that mention an aspect without
judging it ("it cost {price}", "it came with {carrier}": no aspect label) and closing remarks.
"""

VERDICT_POSITIVE: tuple[str, ...] = (
    "Love it!",
    "[Absolutely|Really] love it",
    "Highly recommend",
    "Would [definitely|100%] buy again",
    "{stars_high} from me",
    "Easy {stars_high}",
    "Couldn't be happier with it",
    "Really pleased with this purchase",
    "My {relative} loves it",
    "Exactly what I wanted",
    "Brilliant purchase, [no regrets|zero regrets]",
    "Would recommend to anyone looking for a {category}",
    "Not bad at all, [really|very] happy",
    "Can't recommend it enough",
    "Very happy customer",
    "Best thing I've bought [this year|in ages]",
    "So glad I went for this one",
    "Already ordered a second one in {colour}",
    "{stars_high}, would buy again",
    "Really happy with it overall",
    "Delighted with it",
    "Honestly one of my better buys",
    "Wouldn't hesitate to buy from {brand} again",
    "It's [great|fantastic|amazing], thank you {brand}",
    "[Fantastic|Brilliant|Superb], nothing to fault",
    "Made my {relative} [so|really] happy",
)

VERDICT_NEGATIVE: tuple[str, ...] = (
    "Hate it!",
    "Not impressed [at all|in the slightest]",
    "Would not recommend",
    "I wouldn't [buy|order] it again",
    "{stars_low} from me",
    "{stars_low} and that's generous",
    "Couldn't be more disappointed",
    "Very unhappy with this purchase",
    "My {relative} hates it",
    "Not what I hoped for",
    "Regret buying it",
    "Do not buy this {category}",
    "Not good at all, [really|very] unhappy",
    "Can't recommend it, sorry",
    "Very unhappy customer",
    "[Honestly|Genuinely] the worst purchase I've made [this year|in ages]",
    "Wish I'd never [ordered|bought] it",
    "Sending it straight back",
    "Giving it {stars_low}",
    "What a let-down",
    "[Really|Very|So] disappointed",
    "Shame, I really wanted to like it",
    "Never [again|ordering from {brand} again]",
    "Hugely disappointing from {brand}",
    "Don't bother",
    "Gutted, it was meant to be a present for my {relative}",
)

VERDICT_NEUTRAL: tuple[str, ...] = (
    "Don't love it, don't hate it",
    "It's okay",
    "Would I recommend it? Maybe",
    "Might buy again, might not",
    "{stars_mid} from me",
    "Overall a {stars_mid}",
    "Neither happy nor unhappy with it",
    "Mixed feelings about this purchase",
    "My {relative} says it's fine",
    "It's exactly what you'd expect",
    "Not sure yet, will see how it holds up",
    "It's a perfectly ordinary {category}",
    "Not bad, not great",
    "Hard to say whether I'd recommend it",
    "Does the job",
    "Not the best thing I've bought, not the worst",
    "It does the job, I suppose",
    "Won't be ordering another, but I'll keep this one",
    "{stars_mid}, [it's fine|middle of the road]",
    "Pretty average [really|overall]",
    "It's [ok|okay|fine] I guess",
    "Meets expectations, nothing more",
    "Not amazing but it'll do",
    "Decent enough",
    "It's fine, nothing special",
    "Somewhere in the middle for me",
)

FILLER_CONTEXT: tuple[str, ...] = (
    "Bought this for my {relative}'s birthday",
    "Bought this for my {relative} for {occasion}",
    "Ordered the {product} in {colour}",
    "I went for {size} in {colour}",
    "Got the {brand} {product} after reading lots of reviews",
    "This is my second {category} from {brand}",
    "I've had it for {used} now",
    "Been using it for {used}",
    "Ordered it on a [Monday|Friday|Sunday] [morning|evening|night]",
    "Replacing an old {category} that finally gave up",
    "Needed a new {category} for [work|the new flat|university|our holiday]",
    "First time ordering from this shop",
    "Long-time customer here",
    "Bought it as a gift",
    "I was torn between this and a similar {category} from another brand",
    "Updating my review after {used}",
    "My {relative} recommended this {product}",
    "Saw it on [Instagram|TikTok|a friend's feed] and decided to give it a go",
)

FILLER_MENTION: tuple[str, ...] = (
    "It cost {price}",
    "Paid with {payment}",
    "It came with {carrier}",
    "Delivery was booked for [Tuesday|Thursday|the weekend]",
    "I haven't needed to contact customer service",
    "Haven't had to return anything yet",
    "It was {price} [in the sale|at full price|with a discount code]",
    "I got the {colour} one",
    "The box says it's made in [Portugal|Vietnam|China|Turkey|the UK]",
    "I messaged customer service before ordering to check it was in stock",
    "Returns are free within 30 days according to the website",
    "The tracking number came by email",
    "It was delivered by {carrier} on a [Saturday|weekday]",
    "I read the reviews about the quality before buying",
    "The price has gone up to {price} since I bought it",
    "You can return it in store or by post",
)

FILLER_CLOSING: tuple[str, ...] = (
    "Will update [after a few more weeks|if anything changes]",
    "Hope this helps someone",
    "Thanks for reading",
    "That's all really",
    "Just my two cents",
    "Will report back after {used}",
    "Posting this so others know what to expect",
    "Happy to answer questions in the comments",
    "Pics to follow",
    "That's my honest opinion anyway",
    "Sorry for the long review",
    "Photos attached",
    "Edit: fixed a typo",
    "Anyway, that's my experience",
)

OPINION_TEMPLATES: dict[str, tuple[str, ...]] = {
    "overall:positive": VERDICT_POSITIVE,
    "overall:negative": VERDICT_NEGATIVE,
    "overall:neutral": VERDICT_NEUTRAL,
}

FILLER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "filler:context": FILLER_CONTEXT,
    "filler:mention": FILLER_MENTION,
    "filler:closing": FILLER_CLOSING,
}
