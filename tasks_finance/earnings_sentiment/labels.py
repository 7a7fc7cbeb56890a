"""The fixed label set for the sentiment of financial sentences.

Tone is judged from the point of view of the company's investors: what a shareholder would
read as good news is positive, even when a number goes down (costs, churn, losses, debt).
"""

SENTIMENTS: tuple[str, ...] = ("positive", "negative", "neutral")

SENTIMENT_DESCRIPTIONS: dict[str, str] = {
    "positive": "Good news for the company or its investors: growth, a beat, margins up, guidance "
    "raised, buybacks or dividend increases, costs, churn, losses or debt reduced, upgrades",
    "negative": "Bad news for the company or its investors: declines, a miss, margin pressure, "
    "guidance cut or withdrawn, impairments, costs or losses up, downgrades, control failures",
    "neutral": "Procedural or factual statements without tone: call logistics, scheduling, "
    "definitions, boilerplate and hypothetical risk factors, figures flat or given without a "
    "comparison",
}
