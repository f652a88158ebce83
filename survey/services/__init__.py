"""What the app does to its data: each function flushes, the request commits once.

Views call one service per request; services never import views or blueprints."""


class ServiceError(Exception):
    """A request that the rules refuse; the message is shown to the facilitator as is."""
