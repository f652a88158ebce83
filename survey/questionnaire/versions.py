"""Immutable questionnaire versions in the database: what each session was answered with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import QuestionnaireVersion
from .resolve import content_hash
from .schema import Questionnaire


class VersionConflict(Exception):
    """A file changed without its version being bumped."""


def conflict_message(questionnaire: Questionnaire) -> str | None:
    """Why this definition cannot be recorded, or None when it can."""
    recorded = db.session.scalar(
        select(QuestionnaireVersion).where(
            QuestionnaireVersion.slug == questionnaire.slug,
            QuestionnaireVersion.version == questionnaire.version,
        )
    )
    if recorded is None or recorded.content_hash == content_hash(questionnaire):
        return None
    return str(
        _l(
            "Version %(version)s of the questionnaire “%(slug)s” was already used with other "
            "content. Whoever changed the file must also raise its version number.",
            version=questionnaire.version,
            slug=questionnaire.slug,
        )
    )


def record_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The stored version for this exact definition, stored now if it is new."""
    digest = content_hash(questionnaire)
    existing = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.content_hash == digest)
    )
    if existing is not None:
        return existing
    message = conflict_message(questionnaire)
    if message:
        raise VersionConflict(message)
    version = QuestionnaireVersion(
        slug=questionnaire.slug,
        version=questionnaire.version,
        content_hash=digest,
        definition=questionnaire.model_dump(mode="json"),
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:
        # Another request stored the same version in the meantime; use theirs.
        return record_version(questionnaire)
    return version


def versions_table_exists() -> bool:
    return inspect(db.engine).has_table(QuestionnaireVersion.__tablename__)
