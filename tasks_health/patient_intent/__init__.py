"""health.patient-intent: a patient's message to a clinic, classified by what it asks for."""
