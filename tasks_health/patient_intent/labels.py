"""The fixed label set for patient messages to a clinic."""

INTENTS: tuple[str, ...] = (
    "book_appointment",
    "reschedule_appointment",
    "cancel_appointment",
    "prescription_refill",
    "test_results",
    "billing",
    "opening_hours",
    "symptom_report",
    "emergency",
    "other",
)

INTENT_DESCRIPTIONS: dict[str, str] = {
    "book_appointment": "Asking for a new appointment, test, jab, review or call with the clinic",
    "reschedule_appointment": "Moving an existing appointment to another day, time or place",
    "cancel_appointment": "Cancelling an appointment (or coming off a list) without rebooking now",
    "prescription_refill": "Repeat prescriptions: ordering, renewing or chasing medication",
    "test_results": "Whether results are back, what they show, copies of them, a results call",
    "billing": "Invoices, charges, fees, payments, refunds and insurance cover",
    "opening_hours": "When the clinic or a service is open, closed, or reachable out of hours",
    "symptom_report": "Non-urgent symptoms or side effects and questions about them",
    "emergency": "Red-flag symptoms needing urgent care now: chest pain, breathing, stroke, "
                 "severe bleeding, suicidal thoughts, anaphylaxis, unresponsiveness",
    "other": "Registration, records, contact details, feedback, thanks and anything else",
}
