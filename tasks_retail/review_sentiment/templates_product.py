"""Hand-written review clauses about the product itself: quality and price, each polarity.

Slots in braces are filled by slots.SLOT_FILLERS; "[a|b]" picks one of its alternatives ("[a|]"
makes a part optional) and "<word>" is a list of opinion words from wording.WORDS. A clause is
one sentence without its final full stop, so the composer can end it or join it to the next one
("..., but ...").

A positive and a negative table are written side by side: the clause at one index in the one
mirrors the clause at that index in the other where a mirror reads naturally ("The quality is
<good>" / "The quality is <bad>"), and the split holds out an index in both tables at once, so
no sentence frame is seen in training with one polarity only.

Hard cases kept on purpose: negation in both directions ("not <flimsy> at all" is positive,
"not worth {price}" negative), and words of another aspect in a clause that is not about it
("nothing feels cheap" is about quality, not price). A price clause is labelled by its
judgement of value for money, so a concession that ends in approval ("not cheap, but worth
it") is price:positive and one that does not ("not cheap, and not worth it") price:negative.
"""

from .wording import expand

QUALITY_POSITIVE: tuple[str, ...] = expand((
    "The quality is <good>",
    "Really <well_made>, it feels like it will last for years",
    "The {product} works <perfectly>",
    "Used it every day for {used} and it still looks [brand new|like new]",
    "Much better quality than I expected for a {category}",
    "The build quality is <good>",
    "It feels <premium> and [nicely|beautifully] finished",
    "No faults at all, everything works as it should",
    "Can't fault the quality",
    "The {colour} is exactly like the photos and the finish is [lovely|gorgeous|beautiful]",
    "Not <flimsy> at all, it's really <well_made>",
    "After {used} of heavy use there's not a single sign of wear",
    "Best {category} I've [ever owned|had in years]",
    "{brand} have really nailed the quality on this one",
    "Everything about it feels [well thought out|carefully designed]",
    "The materials are <good> and nothing feels cheap",
    "<Well_made>, reliable and easy to use",
    "Honestly impressed with how <well_made> it is",
    "It does exactly what it says and does it <perfectly>",
    "Still going strong after {used}",
    "[Really|Very] comfortable and well designed",
    "The {product} is <good>, exactly as described",
    "Lovely [design|finish|material], feels like it will last",
    "Top quality [product|item], <well_made> and [well finished|neatly finished]",
    "Works as well as the {brand} one I had before, if not better",
))

QUALITY_NEGATIVE: tuple[str, ...] = expand((
    "The quality is <bad>",
    "Really <flimsy>, I doubt it will last [a month|the year]",
    "The {product} stopped working after {used}",
    "Used it [twice|a handful of times] and it already looks [worn|tatty|old]",
    "Much worse quality than I expected, even for a {category}",
    "The build quality is <bad>",
    "It feels <flimsy> and [plasticky|badly finished]",
    "Faulty out of the box, it didn't work from day one",
    "Can't believe how <bad> the quality is",
    "Nothing like the photos, the {colour} looks [washed out|completely different] in person",
    "Not <well_made> at all, it's really <flimsy>",
    "After {used} it's already falling apart",
    "Worst {category} I've ever [bought|owned]",
    "Poor quality, I expected [much|a lot] better from {brand}",
    "It broke after [just|only] {used}",
    "The materials are <bad> and everything feels cheap",
    "<Flimsy>, unreliable and awkward to use",
    "Disappointing quality, it [creaks|rattles|squeaks] every time I use it",
    "It doesn't do what it says [at all|on the box]",
    "Gave up completely after {used}",
    "[Really|Very] uncomfortable and badly designed",
    "The {product} is <bad>, nothing like the description",
    "The [zip|handle|strap|lid] broke the second time I used it",
    "Low quality [product|item], <flimsy> and [badly finished|rough around the edges]",
    "Nowhere near as good as the {brand} one I had before",
))

PRICE_POSITIVE: tuple[str, ...] = expand((
    "<Value_good>",
    "Worth every [penny|cent]",
    "Not cheap, but worth [it|every penny]",
    "Bargain at {price}",
    "For {price} you can't go wrong",
    "Got it in the sale for {discount} off, [an absolute|a real] bargain",
    "Half the price of the big-name ones, which is great",
    "Really reasonably priced compared to [other shops|elsewhere|the high street]",
    "You get a lot for {price}",
    "Very [affordable|fairly priced|reasonably priced]",
    "Cheaper than anywhere else I looked",
    "{price} well spent",
    "Not the cheapest, but [absolutely|definitely] worth the money",
    "The price [was|is] [spot on|very fair|hard to beat]",
    "Would have happily paid twice the price",
    "<Value_good>, especially with the [free shipping|discount code|loyalty discount]",
    "I paid {price} and I'd say it's a steal",
    "Didn't break the bank",
    "Very cheap for what you get",
    "Good price [compared to the shops|for a {category}]",
    "Great deal at {price}",
    "Pleasantly surprised by the price",
    "<Value_good> compared to the {brand} one",
    "The price was [reasonable|fair|decent] and there was free delivery",
    "Fair price, [would pay it again|no complaints]",
))

PRICE_NEGATIVE: tuple[str, ...] = expand((
    "<Value_bad>",
    "Not worth [a penny|the money|a single cent]",
    "Not cheap, and [definitely|certainly] not worth it",
    "Overpriced at {price}",
    "For {price} I expected [a lot|far] more",
    "Even with {discount} off it was overpriced",
    "Twice the price of the [supermarket|no-name] ones for no good reason",
    "Overpriced compared to [other shops|every other site|the high street]",
    "You get very little for {price}",
    "Far too expensive for what it is",
    "You can get the same thing elsewhere for half the price",
    "{price} for this is [a joke|daylight robbery|a rip-off]",
    "Not worth {price}, not even close",
    "The price [was|is] [ridiculous|a joke|way too high]",
    "Wouldn't pay half that price for it again",
    "Hidden [delivery|shipping] charges pushed the total up to {price}",
    "I paid {price} and it's [nowhere near|not even close to] worth it",
    "Cost an arm and a leg",
    "Very expensive for what you get",
    "Silly price [compared to the shops|for a {category}]",
    "Terrible deal at {price}",
    "Shocked by the price [when I saw the final bill|at checkout]",
    "<Value_bad> compared to the {brand} one",
    "The price was [steep|extortionate|excessive] and delivery was extra on top",
    "Unfair price, [would not pay it again|I felt ripped off]",
))

PRODUCT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "quality:positive": QUALITY_POSITIVE,
    "quality:negative": QUALITY_NEGATIVE,
    "price:positive": PRICE_POSITIVE,
    "price:negative": PRICE_NEGATIVE,
}
