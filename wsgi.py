"""WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from survey import create_app

app = create_app()

# The ~150,000 objects of the loaded app (pandas, Plotly, SQLAlchemy...) live as long as the
# worker: out of the collector's sight, a full collection takes microseconds instead of ~60 ms,
# a pause that otherwise lands on a request now and then.
gc.freeze()
