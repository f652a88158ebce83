"""The Alembic history builds exactly the models' schema, and unwinds cleanly, on both databases."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from survey.extensions import db, migrate


def differences_from_models() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def schema() -> dict[str, dict]:
    """The tables as the database reads them back: what ``compare_metadata`` leaves out too
    (server defaults, check constraints, foreign keys' ON DELETE)."""
    inspector = inspect(db.engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table),
            "foreign keys": sorted(
                (fk["name"], fk["constrained_columns"], fk["referred_table"], str(fk["options"]))
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (ix["name"], ix["column_names"], ix["unique"])
                for ix in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (uq["name"], uq["column_names"]) for uq in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (ck["name"], ck["sqltext"]) for ck in inspector.get_check_constraints(table)
            ),
        }
        for table in sorted(tables())
    }


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def drop_alembic_version() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def first_revision() -> str:
    """The revision that creates the schema, however many follow it."""
    script = ScriptDirectory.from_config(migrate.get_config())
    (base,) = script.get_bases()
    return base


def test_history_is_one_line_from_one_initial_revision(make_app):
    with make_app().app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        assert len(script.get_bases()) == 1
        assert len(script.get_heads()) == 1
        assert script.get_revision(first_revision()).doc == "initial schema"


def test_upgrade_matches_models_then_downgrade_to_base_and_back(make_app, empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        try:
            assert differences_from_models() == []
            assert tables() == set(db.metadata.tables)
            migrated = schema()
            flask_migrate.downgrade(revision="base")
            assert tables() == set()
            db.metadata.create_all(db.engine)
            try:
                assert migrated == schema()
            finally:
                db.metadata.drop_all(db.engine)
            flask_migrate.upgrade()
            assert differences_from_models() == []
        finally:
            db.session.remove()
            flask_migrate.downgrade(revision="base")
        assert tables() == set()
        drop_alembic_version()


def test_migrations_run_both_ways_with_data_present(make_app, empty_database_url):
    """Down to the first revision and back up with the demo's sessions and responses in place
    (with the initial revision alone there is nothing in between: this guards later ones)."""
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
            flask_migrate.downgrade(revision=first_revision())
            assert {t: count(t) for t in before} == before
            flask_migrate.upgrade()
            assert {t: count(t) for t in before} == before
        finally:
            db.session.remove()
            flask_migrate.downgrade(revision="base")
            drop_alembic_version()
