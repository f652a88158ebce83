"""The Alembic history builds exactly the models' schema, and unwinds cleanly, on both databases."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from survey.extensions import db


def test_upgrade_matches_models_then_downgrade_to_base(make_app, empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        try:
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            assert differences == []
            tables = set(inspect(db.engine).get_table_names())
            assert set(db.metadata.tables) <= tables
        finally:
            flask_migrate.downgrade(revision="base")
        leftover = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert leftover == set()
        db.session.remove()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def test_migrations_run_both_ways_with_data_present(make_app, empty_database_url):
    """Down to the first revision and back up with the demo's sessions and responses in place."""
    from sqlalchemy import text

    from survey.demo import seed_group
    from survey.models import Facilitator

    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        try:
            owner = Facilitator(email="migrations@example.org", password_hash="x")
            db.session.add(owner)
            db.session.flush()
            seed_group(owner)
            db.session.commit()

            def count(table):
                with db.engine.connect() as connection:
                    return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()

            before = {t: count(t) for t in ("practice_group", "meeting", "response", "answer")}
            assert before["response"] == 27 and before["answer"] > 2000
            db.session.remove()
            flask_migrate.downgrade(revision="f173eb1b8f06")  # the initial schema
            assert {t: count(t) for t in before} == before
            flask_migrate.upgrade()
            assert {t: count(t) for t in before} == before
        finally:
            db.session.remove()
            flask_migrate.downgrade(revision="base")
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
