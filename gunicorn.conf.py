"""gunicorn settings, read from the working directory: ``gunicorn wsgi:app`` picks them up.

Command-line options (``--workers 4 --bind ...``) still win over anything set here.
"""


def post_worker_init(worker):
    """Warn once, from the first worker, when each worker would count rate limits on its own."""
    if worker.age != 1:
        return
    from survey.limits import per_worker_storage_warning

    message = per_worker_storage_warning(worker.wsgi, worker.cfg.workers)
    if message:
        worker.log.warning(message)
