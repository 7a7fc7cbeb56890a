"""Hand-written templates of sentences that are bad news for the company or its investors.

The hard ones hide it: a negated or hedged "good" word ("not as strong as we hoped"), a cost,
churn or loss going up, bad news in a main clause after a concession, or two figures where the
reader must see that the first falls short of the second.
"""

from .template import (
    DIRECTION,
    MIXED_CLAUSES,
    NEGATION_HEDGE,
    NUMBERS_ONLY,
    answer,
    filing,
    news,
    question,
    remarks,
)

NEGATIVE_TEMPLATES = (
    # Prepared remarks.
    remarks("In {quarter}, {metric} {down} {pct} year over year to {money}, "
            "[below|short of] our [expectations|guidance].", twin="metric-change"),
    remarks("Our {margin} {contracted} {bps} [due to|as a result of] [lower volumes|unfavorable "
            "mix|pricing pressure|under-absorption in our plants].", twin="margin-change"),
    remarks("We are {cutting} our {year} guidance and now expect {metric} growth of {pct_lo} to "
            "{pct_hi}, [reflecting|given] [weaker demand in {region}|the slower recovery in "
            "{segment}].", twin="outlook-change"),
    remarks("We recorded a non-cash [goodwill impairment|impairment] charge of {money} related to "
            "[our|the] {segment} [business|reporting unit]."),
    remarks("Demand in {region} [deteriorated|weakened] [sharply|further] through the quarter, "
            "and [order intake|backlog] {down} {pct}."),
    remarks("The board has decided to [suspend|reduce] the quarterly dividend [to preserve "
            "liquidity|given the current uncertainty]."),
    remarks("{segment} [had a difficult quarter|underperformed], with [revenue|volumes] down "
            "{pct} and an operating loss of {money}."),
    remarks("We are withdrawing our {year} outlook given the [lack of visibility|uncertainty] in "
            "{region}."),
    remarks("Free cash flow was negative {money} in {quarter}, [driven by|reflecting] [higher "
            "working capital|the inventory build|weaker collections]."),
    remarks("We lost [two|several] large customers in {segment}, which will [weigh on|reduce] "
            "{metric} [through|in] {year}."),
    remarks("[Launch delays|Supply problems] for the {product} [pushed|will push] roughly {money} "
            "of revenue out of {quarter}[ and into next year|]."),
    remarks("In {region}, {comp} {down} {pct}, our [worst|weakest] [performance|quarter] [in "
            "over two years|since the pandemic|on record].", twin="comp-record"),
    remarks("We're {disappointed} with [the quarter|our execution|how the team performed] in "
            "{segment}, where {metric} {down} {pct}.", twin="management-feeling"),
    remarks("Customer demand [remained|stayed] {bad} [throughout the quarter|in most regions], and "
            "we [exited|ended] {quarter} with a [smaller|lower] backlog.", twin="demand-level"),
    remarks("We {missed} [our guidance|the low end of our guidance] on [both revenue and EPS|every "
            "key metric] [this quarter|in {quarter}].", twin="versus-guidance"),
    remarks("Across {region}, [volumes|orders|shipments] {down} {pct} and [pricing|price "
            "realization] remained {bad}.", twin="region-volumes"),
    remarks("{metric} in {segment} {down} {pct}, and we lost share in [several|most] of our "
            "[major markets|core categories].", twin="segment-share"),
    remarks("We [delivered|reported] {bad} results in {quarter}, with {metric} of {money} and "
            "earnings per share of {eps}, both [below|short of] our [guidance|outlook].",
            twin="results-versus-guidance"),
    remarks("Our {margin} [fell|dropped] to {pct}, [the lowest level|a low] [since we went "
            "public|in the company's history|in over a decade].", twin="margin-level"),
    remarks("We [lost|did not renew] [our largest contract|several multi-year contracts] in "
            "{segment} [this quarter|during {quarter}]."),
    remarks("We now expect {metric} to grow more slowly in {year} than we [previously thought|"
            "said in {quarter}].", twin="growth-expectation"),
    # Q&A answers.
    answer("It was a {bad} quarter [across the board|for {segment}], and [orders|bookings] {down} "
           "[again|sharply] in {region}.", twin="quarter-tone"),
    answer("I won't sugarcoat it, {segment} had a [really |]{bad} [quarter|few months]."),
    answer("We're seeing [customers|distributors] [destock|cut orders|push out projects] [across|"
           "in] {region}, and that's [hitting|weighing on] {metric}."),
    answer("Pricing has [gotten|become] [a lot|much] more competitive in {segment} and that's "
           "[squeezing|compressing] our {margin}."),
    answer("Frankly the {product} ramp has been [slower|rockier] than we planned and we're "
           "[behind|well behind] on [volumes|installations]."),
    answer("[Honestly|Frankly], we're {disappointed} with [the margin performance|how {segment} "
           "performed], {margin} was down {bps} and [we need to fix that|that's on us].",
           twin="margin-feeling"),
    answer("[Credit|Asset quality] [has deteriorated|is deteriorating] and we [added|had to add] "
           "to reserves [this quarter|in {quarter}].", twin="credit-reserves"),
    answer("We [need to|have to] [shore up|repair] the balance sheet, with {money} coming due "
           "[next year|in {year}] [and limited liquidity|and the revolver nearly drawn]."),
    answer("The [reset|restructuring] in {segment} is taking longer than we [hoped|planned], "
           "{metric} {down} {pct} and margins are [still|well] below target.",
           twin="segment-turnaround"),
    # Analyst questions.
    question("With {margin} down {bps} [this quarter|year over year], [how|when] do you get back "
             "to [your|the] [target range|prior peak]?"),
    question("Can you [help us understand|unpack] the [miss|shortfall] in {segment} and why the "
             "guide came down [so much|so sharply]?"),
    question("How much of the {pct} [decline|drop] in {comp} was [traffic|ticket] versus "
             "[weather|calendar]?"),
    question("Given the [guidance cut|lower outlook], [how comfortable are you|are you still "
             "comfortable] with the dividend at these levels?"),
    question("[Tough|Difficult] quarter, can you [give us some color|talk a bit] on the {bad} "
             "performance in {region}?", twin="quarter-color"),
    question("It's {person} from {bank}, [just following up|a follow-up] on the {bad} [results|"
             "print], how much of the [miss|shortfall] was [one-off|transitory] versus "
             "structural?", twin="analyst-follow-up"),
    question("With {comp} down {pct} [this quarter|in {quarter}], are you [losing share|seeing "
             "customers trade down] or is the [whole market|category] [weaker|soft]?",
             twin="comp-question"),
    question("[You missed on margins again|Margins missed again], why should we believe the "
             "full-year [guide|guidance] is [still achievable|realistic]?", twin="beat-again"),
    question("How much of the {bps} of {margin} compression was [pricing|mix] versus [cost "
             "inflation|volume deleverage]?", twin="margin-bridge-question"),
    # News.
    news("{company} shares {falls} {pct} after [profit warning|guidance cut|weak "
         "{qtag} results]", twin="shares-move"),
    news("{company} [cuts|slashes|lowers] {year} [sales|profit|earnings] forecast as "
         "demand in {region} [weakens|slumps]", twin="outlook-headline"),
    news("{bank} [downgrades|downgraded] {company} to [sell|underperform|underweight], citing "
         "[margin pressure|slowing growth in {segment}|rising competition].",
         twin="analyst-rating"),
    news("{company} [misses|falls short of] estimates as {metric} [falls|drops] {pct}"),
    news("{company} {missed} [profit|earnings|revenue] estimates on {bad} {segment} [sales|"
         "demand]", twin="estimates-headline"),
    news("{company} shares {falls} after {bad} {qtag} [results|sales]", twin="shares-headline"),
    news("{company}'s credit rating [was cut|is cut] to [junk|BB+|BBB-] [as|on] [rising "
         "leverage|weaker cash flow]"),
    news("{company} [delays|postpones] its {qtag} earnings report, [citing|to review] [accounting "
         "issues|revenue recognition at {segment}]"),
    news("{company} [recalls|is recalling] about {count},000 units of its {product} over [a safety "
         "defect|overheating concerns]"),
    news("{company} [shares slide|stock falls] as [regulators open a probe into|the SEC "
         "investigates] its {segment} [accounting|sales practices]"),
    news("{company} CFO {person} said {metric} {down} {pct} in {quarter}[, hurt by {bad} demand "
         "in {region}|].", twin="cfo-quote"),
    news("{company} [stock|shares] [hit a 52-week low|fell to a multi-year low] after {bad} "
         "[results|guidance] on {date}", twin="stock-extreme"),
    news("{company} [cuts|suspends] dividend [after|on] {bad} {qtag} [earnings|results]",
         twin="dividend-headline"),
    news("{company} [reports|posts] {bad} {qtag} as {product} sales [slump|slide|stall]",
         twin="product-sales-headline"),
    news("{company} [loses|fails to renew] {money} [multi-year|long-term] [deal|contract] with a "
         "[major|leading] [customer|operator] in {region}", twin="contract-headline"),
    news("{company} [sinks|plunges|slides] as {segment} [orders|bookings] [dry up|collapse|slump]",
         twin="orders-headline"),
    news("{company} [recalls|pulls] its {product} [from stores|from shelves][ in {region}|] after "
         "[contamination concerns|a labeling error|quality complaints]"),
    # Filings.
    filing("Consolidated {metric} decreased {money}, or {pct}, compared to the prior-year period, "
           "primarily due to [lower volumes|unfavorable pricing|weaker demand] in {segment}.",
           twin="consolidated-change"),
    filing("The Company identified a material weakness in its internal control over financial "
           "reporting related to [revenue recognition|inventory valuation|IT general controls]."),
    filing("[These conditions|Recurring losses from operations and negative cash flows] raise "
           "substantial doubt about the Company's ability to continue as a going concern."),
    filing("{segment} segment margin {contracted} {bps}, reflecting [lower volumes|cost "
           "inflation|unfavorable pricing].", twin="segment-margin"),
    filing("Results for {quarter} were adversely affected by [higher raw material costs|"
           "unfavorable foreign currency movements|a cyberattack at {segment}|plant outages in "
           "{region}]."),
    filing("Net income attributable to the Company {down} {pct} to {money}, [primarily due to|"
           "driven by] lower operating income in {segment}.", twin="net-income"),
    filing("Cash provided by operating activities [decreased|declined] to {money_lo} from "
           "{money_hi} in the prior year, primarily reflecting lower earnings.",
           twin="operating-cash"),
    filing("The decrease in {metric} was [primarily|mainly] driven by {bad} demand [in|across] "
           "{region} and [customer losses|lower average selling prices].", twin="change-driver"),
    filing("Backlog [decreased|declined] to {money} at {period_end}, [reflecting|driven by] {bad} "
           "order intake in {segment}.", twin="backlog-filing"),
    # Hard: a negated or hedged good word.
    remarks("Growth in {metric} was not as strong as we had hoped, [particularly|especially] in "
            "{region}.", NEGATION_HEDGE),
    answer("We're not yet seeing the [recovery|rebound|pickup] in {segment} that we [expected|had "
           "planned for] [at the start of the year|when we gave guidance].", NEGATION_HEDGE),
    remarks("We did not [meet|achieve|hit] our {margin} target [for|in] {quarter}[, and we don't "
            "expect to in {year} either|].", NEGATION_HEDGE),
    answer("I'd be [careful|cautious] about [extrapolating|assuming] any [improvement|recovery] in "
           "{region} [before|until] {year}, we just don't have the visibility.", NEGATION_HEDGE),
    news("{company} [says|warns] it [can no longer|may not be able to] [meet|hit] its {year} "
         "[targets|margin goal]", NEGATION_HEDGE),
    question("It doesn't sound like {segment} is [getting any better|improving], so what would it "
             "take to [turn it around|fix it]?", NEGATION_HEDGE),
    remarks("[It's possible|There is a risk] that we [may need to|will have to] [revisit|revise] "
            "our {year} outlook if [conditions in {region}|{comp}] [don't improve|do not "
            "stabilize] [soon|in the coming weeks].", NEGATION_HEDGE),
    filing("The Company did not generate sufficient cash from operations to [fund|cover] its "
           "[capital expenditures|debt service] [in|during] {quarter}.", NEGATION_HEDGE),
    answer("The {product} [hasn't sold|has not sold] [the way we hoped|as well as we planned] and "
           "we've [cut|reduced] the production plan for {year}.", NEGATION_HEDGE),
    remarks("We [haven't|have not] been able to pass through [the higher input costs|cost "
            "inflation] to customers, and {margin} [suffered|took the hit].", NEGATION_HEDGE),
    remarks("[Pricing|Price increases] didn't hold across {region}, and we saw [significant|real] "
            "[volume loss|customer pushback].", NEGATION_HEDGE, twin="pricing-held"),
    # Hard: up is bad.
    remarks("In {quarter}, {cost} [rose|increased|climbed|jumped] {pct} year over year, [driven "
            "by|reflecting] [inflation across the business|higher prices from suppliers|a tight "
            "labor market].", DIRECTION),
    filing("The net loss widened to {money_hi} in {quarter} from {money_lo} in the prior-year "
           "period.", DIRECTION, twin="net-loss"),
    answer("We did see {rate_cost} [tick up|move up|increase] to {rate_hi} from {rate_lo}[ last "
           "quarter|].", DIRECTION),
    news("{company}'s net debt [climbs|rises] to {money}, [pushing|lifting] leverage to "
         "{turns_hi}x", DIRECTION),
    question("It looks like {cost} grew {pct} this quarter, faster than revenue, so how do you "
             "get back to operating leverage?", DIRECTION),
    filing("The provision for credit losses increased {money} compared with the prior year, "
           "[reflecting|due to] [higher net charge-offs|deterioration in the commercial real "
           "estate portfolio].", DIRECTION),
    news("{company} losses widen as {segment} costs [soar|climb]", DIRECTION),
    remarks("In {region}, {cost} [rose|climbed|jumped] {pct} [as|because] [freight rates spiked|"
            "wage inflation accelerated|we absorbed start-up costs].", DIRECTION,
            twin="region-costs"),
    # Hard: the main clause is bad news despite the good news beside it.
    remarks("Although {metric} {up} {pct}, [the sharp contraction in|lower] {margin} and [higher|"
            "rising] {cost} mean we are lowering our {year} [guidance|outlook].", MIXED_CLAUSES),
    news("{company} beats on revenue but [cuts|lowers] full-year [profit|earnings] [guidance|"
         "outlook]", MIXED_CLAUSES),
    answer("Demand in {region} held up fine, but [everywhere else|the rest of the portfolio] "
           "[was weaker than we expected|came in below plan] and we're {cutting} the full-year "
           "number.", MIXED_CLAUSES),
    filing("While net sales [increased|rose] {pct}, operating income declined {pct2} [due to|as a "
           "result of] [higher|increased] [restructuring charges|input costs|compensation "
           "expense].", MIXED_CLAUSES),
    remarks("Despite [record|solid] [bookings|order intake|volumes] in {segment}, "
            "[consolidated|overall] {margin} {contracted} {bps} and [earnings|EPS] {missed} our "
            "[expectations|guidance].", MIXED_CLAUSES),
    question("[Revenue looked fine|The top line was fine], but {margin} came in [well|a lot] "
             "[below|short of] [the Street|consensus], can you walk us through what happened "
             "there?", MIXED_CLAUSES),
    news("{company} [misses|falls short of] profit [estimates|forecasts] even as sales in "
         "{region} [rise|improve]", MIXED_CLAUSES, twin="even-as-headline"),
    # Hard: the figures alone say it.
    news("{company} {qtag} [adjusted EPS|EPS] {eps_lo} vs. [consensus|estimate|est.] {eps_hi}",
         NUMBERS_ONLY, twin="eps-headline"),
    news("{company} reported {qtag} revenue of {money_lo}; analysts [had expected|were "
         "expecting|had forecast] {money_hi}.", NUMBERS_ONLY, twin="revenue-versus-expected"),
    filing("For {quarter}, {metric} was {money_lo} compared with {money_hi} in the same period "
           "last year.", NUMBERS_ONLY, twin="metric-versus-prior"),
    remarks("Adjusted EPS [was|came in at] {eps_lo}, against [guidance|our guidance] of {eps_hi}.",
            NUMBERS_ONLY, twin="eps-versus-guidance"),
    answer("So {rate_cost} was {rate_hi} this quarter versus {rate_lo} [last year|a year ago].",
           NUMBERS_ONLY, twin="rate-versus-prior"),
    filing("Net leverage was {turns_hi} times at {period_end}, compared with {turns_lo} times a "
           "year earlier.", NUMBERS_ONLY, twin="leverage-versus-prior"),
    news("{company} {qtag} revenue {money_lo}, [consensus|Street estimate|estimate] {money_hi}",
         NUMBERS_ONLY, twin="revenue-headline"),
    filing("{margin} was {pct_lo} for {quarter}, compared with {pct_hi} a year ago.", NUMBERS_ONLY,
           twin="margin-versus-prior"),
)
