"""A session's results as they may be shown: read from the database, computed by
``analytics``, settled by the privacy rules, laid out for pages. Nothing here writes."""
