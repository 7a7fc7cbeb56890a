"""Hand-written templates of procedural and factual sentences that carry no tone.

Call logistics, scheduling, definitions and housekeeping questions are the plain ones. The hard
ones are full of words that usually carry tone: "risks", "impairment", "decline" in boilerplate
and hypothetical risk factors, dividends and debt described as routine facts, and figures that
are flat or given without any comparison.
"""

from .template import FINANCE_WORDS, NUMBERS_ONLY, answer, filing, news, operator, question, remarks

NEUTRAL_TEMPLATES = (
    # Operator and investor relations.
    operator("[Good morning|Good afternoon|Good day], and welcome to the {company} {qtag} "
             "earnings [conference call|call|webcast]."),
    operator("[Today's call|This call|This conference] is being recorded[ and will be available "
             "for replay on the {company} investor relations website|]."),
    operator("[Our next question|The next question] comes from {person} with {bank}."),
    operator("At this time, all participants are in a listen-only mode[, and a question-and-answer "
             "session will follow the formal presentation|]."),
    operator("I would now like to turn the call over to {person}, [Head|Vice President] of "
             "Investor Relations at {company}."),
    operator("[There are no further questions at this time|This concludes our question-and-answer "
             "session], and I'll [hand|turn] the call back to {person} for closing remarks."),
    operator("[To ask a question, please|Please] press star one on your telephone keypad[ and "
             "wait for your name to be announced|]."),
    operator("[Our|The] next question is from the line of {person} at {bank}, [please go ahead|"
             "your line is open]."),
    operator("[The|A] replay of this call will be available [until|through] {date}[ on the "
             "{company} website|]."),
    # Prepared remarks.
    remarks("Joining me [today|on the call today] are {person}, our [Chief Executive Officer|CEO], "
            "and {person2}, our [Chief Financial Officer|CFO]."),
    remarks("Our earnings [release|press release] and the slide presentation are available on [the "
            "investor relations section of our website|our IR website]."),
    remarks("[With that|And with that], I'll turn it over to {person} to [walk through|discuss] "
            "the [financials|numbers] in more detail."),
    remarks("[Beginning|Starting] in {quarter}, we will report {segment} as a separate segment[, "
            "and we have recast prior periods accordingly|]."),
    remarks("We expect to [report|announce] {qtag} results [on|in the week of] {date}[, before the "
            "market opens|]."),
    remarks("[Slide|Page] {slide} of the presentation [shows|summarizes] {segment} results by "
            "[region|product line|quarter]."),
    remarks("We'll take questions after the prepared remarks[; please limit yourself to one "
            "question and a follow-up|], and {person} will moderate."),
    remarks("[As a reminder|Just as a reminder], {quarter} [includes|had] an extra week, which "
            "we'll [adjust for|call out] in our comparisons."),
    remarks("We will host our investor day in [New York|London|Singapore|Toronto] on {date}[, "
            "where we will cover our {year} priorities|]."),
    remarks("[On|Turning to] slide {slide}, [let me walk you through|I'll cover] {metric} [by "
            "segment|by region] [for|in] {quarter}."),
    # Q&A answers.
    answer("We don't break out {segment} [margins|profitability] [separately|on a quarterly "
           "basis], but we'll [think about|consider] that for future [disclosure|calls]."),
    answer("[I'll|Let me] let {person} take that one[ and then I can add some color|]."),
    answer("We'll give [a full|more of an] update on capital allocation [at the investor day|on "
           "our next call]."),
    answer("That number includes both {segment} and {segment2}, and the [split|breakdown] is in "
           "the [10-Q|supplemental materials]."),
    answer("I'd [rather|prefer to] not get ahead of [the board|our investor day] on that, but "
           "we'll [talk about|cover] it in {quarter}."),
    answer("We haven't [finalized|decided] the {year} budget yet, so we'll [give you|share] more "
           "detail on the next call."),
    answer("{segment} is [roughly|about] {pct} of [total|group] revenue, so [it's a smaller piece|"
           "it doesn't move the total much] either way."),
    answer("The numbers for {region} [include|reflect] [a full quarter|three months] of the "
           "{segment} [acquisition|business], so the comparison isn't like-for-like."),
    answer("We'll [publish|post] the [updated|recast] segment history [before|ahead of] the {qtag} "
           "call."),
    # Analyst questions.
    question("Can you remind us how much of {segment} revenue is [recurring|under multi-year "
             "contracts]?"),
    question("How should we think about the tax rate and share count for {year}?"),
    question("Could you walk us through the [seasonality|phasing] between {quarter} and "
             "{quarter2}?"),
    question("[Just a housekeeping question|Quick housekeeping question|One housekeeping item], "
             "what was the [FX impact|contribution from acquisitions] in the quarter?"),
    question("[Can you|Could you] [give us|share] [an update|some color] on the {product} "
             "[launch timing|rollout schedule] in {region}?"),
    question("How are you thinking about [capital allocation|the mix between buybacks and M&A] "
             "[over the next few years|in {year}]?"),
    question("What [are you assuming|is baked in] for {metric} in {region} in the {year} "
             "[guidance|plan]?"),
    question("Can you [size|quantify] the [FX|currency] [impact|effect] on {metric} [for|in] "
             "{year} at [current|today's] rates?"),
    question("How [big|large] is {region} [as a percentage|as a share] of {segment} revenue "
             "today?"),
    question("What [tax rate|share count|interest expense] [should we use|are you assuming] for "
             "{quarter}?"),
    question("[Can you|Could you] remind us [when|how often] the {product} contracts [come up for "
             "renewal|reprice]?", FINANCE_WORDS),
    # News.
    news("{company} [will report|is scheduled to report] {qtag} results on {date} [before the "
         "market opens|after the close]."),
    news("{company} [names|appoints] {person} [chief financial officer|as CFO|head of {segment}], "
         "effective {date}."),
    news("{company} to present at the {bank} [Technology|Industrials|Financials|Consumer] "
         "Conference on {date}"),
    news("{company} [files|filed] its annual report on Form 10-K for {year}."),
    news("{company} [moves|is moving] its headquarters to [Denver|Dublin|Austin|Rotterdam], "
         "[effective|starting] {date}."),
    news("{company} [sets|announces] date for {qtag} earnings [release|call]"),
    news("{company} [says|said] {person} will [join|become a member of] its board [on|effective] "
         "{date}"),
    news("{company} [to hold|will hold] its annual shareholder meeting on {date} in [Denver|Oslo|"
         "Singapore]"),
    news("{company} [says|said] it [expects|plans] to [issue|publish] its {year} outlook with its "
         "{qtag} results"),
    # Filings.
    filing("The Company operates in [three|four] reportable segments: {segment}, {segment2} and "
           "{segment3}."),
    filing("The following table [presents|sets forth] {metric} by [segment|geographic region] for "
           "{quarter}."),
    filing("[Certain|Some] prior-[period|year] amounts have been reclassified to conform to the "
           "current[-period| year] presentation."),
    filing("{company}'s fiscal year ends on [March 31|June 30|September 30|the Saturday closest "
           "to January 31], and references to [quarters|years] are to fiscal periods."),
    filing("The {segment} segment [includes|comprises] the [manufacture and sale|design and sale|"
           "distribution] of products [primarily|mainly] in {region}."),
    filing("Amounts [may|might] not sum due to rounding[, and percentages are calculated on "
           "unrounded figures|]."),
    # Hard: finance words without tone.
    remarks("[Before we begin|Before I hand over], [let me remind you|I'd like to remind everyone] "
            "that [today's|this] discussion [includes|contains] forward-looking statements that "
            "are subject to risks and uncertainties.", FINANCE_WORDS),
    remarks("We will also refer to certain non-GAAP measures, [including|such as] adjusted EBITDA "
            "and free cash flow; reconciliations [are included|can be found] in [the appendix|our "
            "earnings release].", FINANCE_WORDS),
    remarks("Our effective tax rate [for|in] {quarter} was {pct}[, and we continue to expect a "
            "similar rate for {year}|].", FINANCE_WORDS),
    answer("We [typically|usually] update the full-year guidance [with|when we report] {qtag} "
           "results, [so|and] we'll [revisit|look at] it then.", FINANCE_WORDS),
    answer("[Seasonally|Historically], {quarter} is [our|the] [smallest|largest] quarter for "
           "{segment}[, so keep that in mind in your models|].", FINANCE_WORDS),
    question("Does the {year} [guidance|outlook] assume any [benefit|contribution] from the "
             "{product}, or is that [upside|upside to the plan]?", FINANCE_WORDS),
    question("How do you define [organic growth|adjusted EBITDA|net revenue retention], and does "
             "it [exclude|include] [restructuring and impairment charges|acquisitions]?",
             FINANCE_WORDS),
    news("{company} [declares|declared] [a regular|its regular] quarterly dividend of {dps} per "
         "share, payable on {date}.", FINANCE_WORDS),
    news("{company} prices {money} offering of senior notes due [2030|2031|2033]", FINANCE_WORDS),
    news("Shares of {company} were [little changed|flat|unchanged] [in early trading|at midday] "
         "after the [results|report].", FINANCE_WORDS),
    filing("Adjusted EBITDA is defined as net income [before|excluding] interest, taxes, "
           "depreciation and amortization, [restructuring and impairment charges|stock-based "
           "compensation] and other items.", FINANCE_WORDS),
    filing("Actual results [could|may] differ materially from those [projected|anticipated] due "
           "to [changes in demand|fluctuations in commodity prices|economic conditions in "
           "{region}|a decline in consumer spending].", FINANCE_WORDS),
    filing("Our business [could|may] be adversely affected by [changes in interest rates|"
           "fluctuations in foreign currency exchange rates|disruptions in our supply chain|"
           "cybersecurity incidents].", FINANCE_WORDS),
    filing("Revenue from {segment} is recognized [when control of the goods transfers to the "
           "customer|over the term of the subscription|at a point in time upon shipment].",
           FINANCE_WORDS),
    filing("Basic and diluted earnings per share are computed using the weighted-average number "
           "of shares outstanding [during the period|for each period].", FINANCE_WORDS),
    filing("[Foreign currency translation adjustments|Unrealized gains and losses on "
           "available-for-sale securities] are recorded in accumulated other comprehensive "
           "[income|income (loss)].", FINANCE_WORDS),
    filing("The Company entered into a credit agreement [providing for|that provides for] a "
           "{money} revolving credit facility maturing in [2029|2030].", FINANCE_WORDS),
    filing("Goodwill is tested for impairment annually [as of|on] [October 1|the first day of the "
           "fourth quarter] and whenever events indicate that the carrying amount may not be "
           "recoverable.", FINANCE_WORDS),
    answer("We [look at|think about] {metric} on a [trailing twelve-month|full-year] basis, so I "
           "wouldn't [read too much into|focus on] any single quarter.", FINANCE_WORDS),
    answer("We [don't|do not] [give|provide] quarterly guidance for {segment}, [but|and] the "
           "full-year framework was [laid out|set out] at the investor day.", FINANCE_WORDS),
    question("Is the {margin} [guide|outlook] on a reported or [constant currency|adjusted] "
             "basis?", FINANCE_WORDS),
    filing("The Company [evaluates|assesses] segment performance [based on|using] {metric} and "
           "{margin}.", FINANCE_WORDS),
    filing("{metric} [for|in] {quarter} [includes|included] {money} [from|related to] "
           "[acquisitions|a change in accounting estimate|the extra week].", FINANCE_WORDS),
    remarks("[Unless otherwise noted|Unless I say otherwise], all [growth rates|comparisons] are "
            "[year over year|versus the prior-year quarter] and [in constant currency|on an "
            "organic basis].", FINANCE_WORDS),
    filing("Backlog represents the [value|amount] of [firm orders|contracted revenue] not yet "
           "[recognized|fulfilled] as of the reporting date.", FINANCE_WORDS),
    filing("Contracts with customers [generally|typically] have terms of [one to three|three to "
           "five] years and [are|may be] renewed [annually|at the customer's option].",
           FINANCE_WORDS),
    remarks("[Pricing|Price changes] [take effect|are implemented] at the start of {quarter} in "
            "{region}, as in prior years.", FINANCE_WORDS),
    remarks("Our {year} [outlook|guidance] assumes [an exchange rate|a euro-dollar rate] of [1.08|"
            "1.10|1.12] and [no acquisitions|no change in tax law].", FINANCE_WORDS),
    # Hard: figures that are flat or given without a comparison.
    remarks("Revenue was {money}, in line with [last year|the prior-year quarter].", NUMBERS_ONLY),
    remarks("Our {margin} was {pct}, [unchanged|flat] [from|versus] [the prior year|a year ago].",
            NUMBERS_ONLY),
    news("{company} reported {metric} of {money} for {quarter}.", NUMBERS_ONLY),
    filing("[As of|At] {period_end}, the Company had {money} [outstanding|of borrowings "
           "outstanding] under its revolving credit facility.", NUMBERS_ONLY),
    answer("So {metric} was {money} in {quarter}, and about {pct} of that came from {region}.",
           NUMBERS_ONLY),
    remarks("{region} [represented|accounted for] [about|roughly] {pct} of [total|consolidated] "
            "revenue in {quarter}.", NUMBERS_ONLY),
    news("{company} [reports|posts] {qtag} {metric} of {money}[; shares were unchanged|]",
         NUMBERS_ONLY),
    remarks("{margin} [was|came in at] {pct} [for|in] {quarter}, [consistent|in line] with [our "
            "outlook|the prior year].", NUMBERS_ONLY),
)
