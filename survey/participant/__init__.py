"""Participant side: the answering form built from a session's questionnaire snapshot."""
