"""Hand-written templates of sentences that are good news for the company or its investors.

The hard ones say it without the usual words: a cost, churn or loss going down, a fear that did
not come true, good news in a main clause after a concession, or two figures where the reader
must see that the first beats the second.
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

POSITIVE_TEMPLATES = (
    # Prepared remarks.
    remarks("In {quarter}, {metric} {up} {pct} [year over year|year-on-year] to {money}, [a new "
            "quarterly record|the highest in our history|ahead of our own plan].",
            twin="metric-change"),
    remarks("Our {margin} {expanded} {bps} to {pct}, driven by [pricing|favorable mix|productivity "
            "gains|higher utilization in our plants].", twin="margin-change"),
    remarks("We are {raising} our {year} outlook and now expect {metric} growth of {pct_lo} to "
            "{pct_hi}[, up from our prior range|].", twin="outlook-change"),
    remarks("{segment} had an [outstanding|excellent|exceptional] quarter, with [orders|revenue|"
            "volumes] up {pct} and {good} demand across {region}."),
    remarks("Our board has authorized a new share repurchase program of up to {money}[, "
            "reflecting our confidence in the business|]."),
    remarks("We generated {money} of free cash flow in {quarter}, [more than double|well ahead "
            "of] [last year|the prior-year period], and ended the quarter in a net cash position."),
    remarks("The launch of the {product} [exceeded our expectations|went better than we "
            "planned], and [early adoption|the order pipeline|sell-through] is running well ahead "
            "of plan."),
    remarks("We are increasing our quarterly dividend by {pct} to {dps} per share, the [tenth|"
            "twelfth|fifteenth] consecutive annual increase."),
    remarks("We added {count} new enterprise customers in {region} this quarter, [a record for us|"
            "our best quarter ever for new logos]."),
    remarks("{segment} returned to growth this quarter, with [revenue|sales] up {pct} "
            "[sequentially|year over year]."),
    remarks("We refinanced {money} of [term loans|senior notes] at a rate {bps} below the existing "
            "debt, [extending our maturities by|adding] [three|four|five] years[ of runway|]."),
    remarks("In {region}, {comp} {up} {pct}, our [best|strongest] [performance|quarter] [in over "
            "two years|since the pandemic|on record].", twin="comp-record"),
    remarks("We're {pleased} with [the quarter|our execution|how the team performed] in "
            "{segment}, where {metric} {up} {pct}.", twin="management-feeling"),
    remarks("Customer demand [remained|stayed] {good} [throughout the quarter|in every region], "
            "and we [exited|ended] {quarter} with a record backlog.", twin="demand-level"),
    remarks("We {beat} [our guidance|the high end of our guidance] on [both revenue and EPS|every "
            "key metric] [this quarter|in {quarter}].", twin="versus-guidance"),
    remarks("Across {region}, [volumes|orders|shipments] {up} {pct} and [pricing|price "
            "realization] remained {good}.", twin="region-volumes"),
    remarks("{metric} in {segment} {up} {pct}, and we [gained|took] share in [every one|each] of "
            "our [major markets|core categories].", twin="segment-share"),
    remarks("We [delivered|reported] {good} results in {quarter}, with {metric} of {money} and "
            "earnings per share of {eps}, both [above|ahead of] our [guidance|outlook].",
            twin="results-versus-guidance"),
    remarks("Our {margin} [reached|rose to] {pct}, [the highest level|a record] [since we went "
            "public|in the company's history|in over a decade].", twin="margin-level"),
    remarks("We [signed|closed] [the largest contract in our history|a record number of multi-year "
            "contracts] in {segment} [this quarter|during {quarter}]."),
    remarks("We now expect {metric} to grow faster in {year} than we [previously thought|said in "
            "{quarter}].", twin="growth-expectation"),
    # Q&A answers.
    answer("Demand in {region} has [been really strong|stayed really strong|held up really well] "
           "and we're seeing that [carry into|continue into] {quarter}."),
    answer("We're seeing [pricing|win rates|renewal rates] improve across the board, and "
           "{segment} in particular is [firing on all cylinders|doing really well]."),
    answer("Honestly the pipeline has never been [stronger|healthier|bigger], we're [very|really] "
           "[excited|pleased] about {year}."),
    answer("We think there's [upside|room for upside] to the {margin} target and we're "
           "[tracking|running] ahead of [plan|where we thought we'd be]."),
    answer("It was a {good} quarter [across the board|for {segment}], and [orders|bookings] {up} "
           "[nicely|again] in {region}.", twin="quarter-tone"),
    answer("We're [really |]{pleased} with [the margin performance|how {segment} performed], "
           "{margin} was up {bps} and we see more to come.", twin="margin-feeling"),
    answer("The {product} is [doing great|selling really well|a hit with customers] and we've "
           "[added|brought on] {count} new [distributors|customers] since launch."),
    answer("[Credit|Asset quality] [remains|has stayed] {good} and we're [releasing|able to "
           "release] reserves [this quarter|in {quarter}].", twin="credit-reserves"),
    answer("Our balance sheet has never been [stronger|in better shape], with {money} of liquidity "
           "[and no maturities until 2030|and plenty of room for buybacks]."),
    answer("The turnaround in {segment} is [working|playing out], {metric} {up} {pct} and margins "
           "are back [above|at] target.", twin="segment-turnaround"),
    # Analyst questions.
    question("Congrats on a {good} quarter, can you talk about what drove the [acceleration|"
             "step-up] in {metric}?"),
    question("With {margin} up {bps} this quarter, how much more room is there for expansion "
             "[in {year}|next year]?"),
    question("The {comp} number was [really impressive|very strong], how sustainable is that "
             "[momentum|level of growth] into {quarter}?"),
    question("Given the record bookings in {segment}, [is it fair to assume|should we assume] "
             "revenue growth [accelerates|picks up] from here?"),
    question("[Nice|Great] [results|quarter], can you [give us some color|talk a bit] on the "
             "{good} performance in {region}?", twin="quarter-color"),
    question("It's {person} from {bank}, [congrats|congratulations] on the {good} [results|print], "
             "how should we think about [incremental margins|operating leverage] from here?",
             twin="analyst-follow-up"),
    question("With {comp} up {pct} [this quarter|in {quarter}], are you seeing [share gains|new "
             "customers] or just [a stronger market|better traffic]?", twin="comp-question"),
    question("[You beat on margins again|Margins beat again], what's [stopping you from|holding "
             "you back from] raising the full-year [guide|guidance] further?", twin="beat-again"),
    question("How much of the {bps} of {margin} expansion was [pricing|mix] versus [productivity|"
             "volume leverage]?", twin="margin-bridge-question"),
    # News.
    news("{company} shares [jumped|surged|rallied] {pct} after the company [raised its full-year "
         "forecast|reported record quarterly {metric}].", twin="shares-move"),
    news("{company} [raises|lifts] {year} [profit|revenue|earnings] outlook as {segment} demand "
         "[booms|strengthens]", twin="outlook-headline"),
    news("{company} posts record {qtag} {metric} on {good} demand in {region}"),
    news("{bank} [upgrades|upgraded] {company} to [buy|outperform|overweight], citing [improving "
         "margins|a stronger product cycle|accelerating growth in {segment}].",
         twin="analyst-rating"),
    news("{company} [announces|unveils] {money} buyback[, shares {rises}|]"),
    news("{company} wins {money} contract to supply its {product} [across {region}|to a major "
         "customer in {region}]"),
    news("{company}'s {metric} {up} {pct} in {quarter}, [beating|topping] analyst estimates[ for "
         "a fifth straight quarter|]."),
    news("{company} was upgraded to investment grade[ by a second rating agency|], [citing|"
         "reflecting] lower leverage and stronger cash generation."),
    news("{company} {beat} [profit|earnings|revenue] estimates on {good} {segment} [sales|"
         "demand]", twin="estimates-headline"),
    news("{company} shares {rises} after {good} {qtag} [results|sales]", twin="shares-headline"),
    news("{company} CFO {person} said {metric} {up} {pct} in {quarter}[, helped by {good} demand "
         "in {region}|].", twin="cfo-quote"),
    news("{company} [stock|shares] [hit a record high|climbed to a 52-week high] after {good} "
         "[results|guidance] on {date}", twin="stock-extreme"),
    news("{company} [raises|hikes] dividend {pct} [after|on] {good} {qtag} [earnings|results]",
         twin="dividend-headline"),
    news("{company} [reports|posts] {good} {qtag} as {product} sales [soar|jump|climb]",
         twin="product-sales-headline"),
    news("{company} [secures|lands|signs] {money} [multi-year|long-term] [deal|contract] with a "
         "[major|leading] [customer|operator] in {region}", twin="contract-headline"),
    news("{company} [jumps|soars] as {segment} [orders|bookings] [double|hit a record]",
         twin="orders-headline"),
    # Filings.
    filing("Consolidated {metric} increased {money}, or {pct}, compared to the prior-year period, "
           "primarily due to [higher volumes|favorable pricing|strong growth] in {segment}.",
           twin="consolidated-change"),
    filing("Operating income for the {segment} segment {up} {pct} [due to|driven by] improved "
           "[productivity|utilization|pricing] and [favorable mix|higher volumes]."),
    filing("During {quarter}, the Company repurchased [4.1|2.8|6.3|1.9] million shares [for|at a "
           "total cost of] {money} under its share repurchase program."),
    filing("Available liquidity [increased|grew] to {money} at {period_end}, [reflecting|driven "
           "by] strong operating cash flow[ and the undrawn revolving credit facility|]."),
    filing("{segment} segment margin {expanded} {bps}, reflecting [cost discipline|operating "
           "leverage|favorable pricing].", twin="segment-margin"),
    filing("Net income attributable to the Company {up} {pct} to {money}, [primarily due to|"
           "driven by] higher operating income in {segment}.", twin="net-income"),
    filing("Cash provided by operating activities [increased|rose] to {money_hi} from {money_lo} "
           "in the prior year, primarily reflecting higher earnings.", twin="operating-cash"),
    filing("The increase in {metric} was [primarily|mainly] driven by {good} demand [in|across] "
           "{region} and [new customer wins|higher average selling prices].",
           twin="change-driver"),
    filing("Backlog [increased|grew] to {money} at {period_end}, [reflecting|driven by] {good} "
           "order intake in {segment}.", twin="backlog-filing"),
    # Hard: a fear that did not come true, or a hedge around good news.
    answer("We haven't seen any [slowdown|pullback|softening] in [customer spending|order "
           "activity|demand] in {region}, [if anything|in fact] it's [picked up|gotten better].",
           NEGATION_HEDGE),
    answer("[I don't think|I wouldn't say] we're seeing any [pricing pressure|margin pressure|"
           "deterioration in credit] in {segment}, [quite the opposite|it's actually improving].",
           NEGATION_HEDGE),
    remarks("We do not expect any further [impairment|write-downs] [on|in] the {segment} "
            "portfolio, and the [restructuring|turnaround] is now [complete|behind us].",
            NEGATION_HEDGE),
    news("{company} [says|said] the [feared|expected] slowdown in {region} [never materialized|"
         "did not materialize], [lifting|sending] its shares {pct} higher.", NEGATION_HEDGE),
    question("You didn't [call out|mention] any [weakness|softness] in {region} this time, [is it "
             "fair to say|should we read that as] the [worst is behind you|recovery is on track]?",
             NEGATION_HEDGE),
    remarks("While it's [early|still early], we're [cautiously optimistic|increasingly confident] "
            "that {margin} has [bottomed|troughed] and [will|should] expand [from here|through "
            "{year}].", NEGATION_HEDGE),
    filing("No goodwill impairment was [identified|required] [in|for] the {segment} reporting "
           "unit, whose fair value [exceeded|now exceeds] its carrying amount by {pct}.",
           NEGATION_HEDGE),
    answer("[Honestly|To be honest], we didn't expect {segment} to [recover|bounce back] this "
           "fast, and it's [now|already] [ahead of|above] plan.", NEGATION_HEDGE),
    remarks("[Pricing|Price increases] held across {region}, and we saw [no|very little] [volume "
            "loss|customer pushback].", NEGATION_HEDGE, twin="pricing-held"),
    # Hard: down is good.
    remarks("We reduced {cost} by {pct} year over year[ to {money}|], [well ahead of|ahead of] our "
            "[savings|efficiency] target.", DIRECTION),
    filing("The net loss narrowed to {money_lo} in {quarter} from {money_hi} in the prior-year "
           "period.", DIRECTION, twin="net-loss"),
    answer("On the credit side, we brought {rate_cost} down to {rate_lo} from {rate_hi} a year "
           "ago.", DIRECTION),
    news("{company} [cuts|slashes] net debt by {money}, [brings|bringing] leverage down to "
         "{turns_lo}x", DIRECTION),
    question("It looks like {cost} came down [a lot|meaningfully] this quarter, how much of that "
             "[is structural|sticks] going forward?", DIRECTION),
    news("{company}'s losses narrow as {segment} [costs fall|turns profitable]", DIRECTION),
    filing("Interest expense {down} {money} [compared with|from] the prior year, [reflecting|"
           "due to] lower average borrowings following [debt repayments|the redemption of the "
           "2027 notes].", DIRECTION),
    remarks("In {region}, {cost} {down} {pct} [as|because] [our efficiency program took hold|"
            "freight rates normalized|we exited unprofitable contracts].", DIRECTION,
            twin="region-costs"),
    # Hard: the main clause is good news despite the bad news beside it.
    remarks("Despite [FX headwinds of {bps}|a tough comparison|{bad} demand in {region}], we "
            "delivered [record|double-digit] {metric} growth and [expanded|improved] {margin}.",
            MIXED_CLAUSES),
    news("{company} [shrugs off|overcomes] {bad} sales in {region} to [post|report] a {pct} "
         "rise in {qtag} [profit|earnings]", MIXED_CLAUSES),
    answer("Demand in {region} was a bit softer, but the rest of the business more than [offset|"
           "made up for] it and we're {raising} the full-year number.", MIXED_CLAUSES),
    filing("Although [higher interest expense|unfavorable currency translation] [partially offset|"
           "reduced] the [increase|gain], net income {up} {pct} to {money}.", MIXED_CLAUSES),
    remarks("[Even with|Even after absorbing] {money} of [tariff costs|restructuring charges|"
            "higher freight costs], {margin} {expanded} {bps} year over year.", MIXED_CLAUSES),
    question("Even with the FX drag, {metric} {up} {pct}, so what's the [right way|best way] to "
             "think about [the exit rate|momentum] into {year}?", MIXED_CLAUSES),
    news("{company} [beats|tops] profit [estimates|forecasts] even as sales in {region} "
         "[slip|soften]", MIXED_CLAUSES, twin="even-as-headline"),
    # Hard: the figures alone say it.
    news("{company} {qtag} [adjusted EPS|EPS] {eps_hi} vs. [consensus|estimate|est.] {eps_lo}",
         NUMBERS_ONLY, twin="eps-headline"),
    news("{company} reported {qtag} revenue of {money_hi}; analysts [had expected|were "
         "expecting|had forecast] {money_lo}.", NUMBERS_ONLY, twin="revenue-versus-expected"),
    filing("For {quarter}, {metric} was {money_hi} compared with {money_lo} in the same period "
           "last year.", NUMBERS_ONLY, twin="metric-versus-prior"),
    remarks("Adjusted EPS [was|came in at] {eps_hi}, against [guidance|our guidance] of {eps_lo}.",
            NUMBERS_ONLY, twin="eps-versus-guidance"),
    answer("So {rate_cost} was {rate_lo} this quarter versus {rate_hi} [last year|a year ago].",
           NUMBERS_ONLY, twin="rate-versus-prior"),
    filing("Net leverage was {turns_lo} times at {period_end}, compared with {turns_hi} times a "
           "year earlier.", NUMBERS_ONLY, twin="leverage-versus-prior"),
    news("{company} {qtag} revenue {money_hi}, [consensus|Street estimate|estimate] {money_lo}",
         NUMBERS_ONLY, twin="revenue-headline"),
    filing("{margin} was {pct_hi} for {quarter}, compared with {pct_lo} a year ago.", NUMBERS_ONLY,
           twin="margin-versus-prior"),
)
