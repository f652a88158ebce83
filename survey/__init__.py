"""Praxis: anonymous self-assessments and gap dashboards for practice analysis groups."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, database, errors, i18n, logs, security, urls
from .config import load_config
from .database import configure_postgresql, configure_sqlite
from .extensions import csrf, db, limiter, login_manager, migrate
from .kinds import kept_html

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and CLI commands."""
    # static/ is served by assets: versioned addresses, cached a year, compressed once.
    app = Flask(
        __name__, instance_relative_config=True, instance_path=instance_path, static_folder=None
    )
    load_config(app, test_config)
    # Owner only: it holds the secret key and, by default, the SQLite database.
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)

    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
        configure_postgresql(
            db.engine, app.config["DATABASE_LOCK_TIMEOUT"], app.config["DATABASE_STATEMENT_TIMEOUT"]
        )
    database.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    kept_html.init_app(app)
    errors.init_app(app)
    logs.init_app(app)
    assets.init_app(app)
    security.init_app(app)
    app.add_template_global(urls.public_url)

    from . import cli, site
    from .api import bp as api_bp
    from .dashboard import bp as dashboard_bp
    from .facilitator import bp as facilitator_bp
    from .participant import bp as participant_bp

    app.register_blueprint(site.bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(api_bp)
    cli.init_app(app)
    return app
