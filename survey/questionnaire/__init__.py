"""Questionnaires as data: files validated into frozen models, variants, and session snapshots."""

from .catalog import Catalog, catalog
from .frozen import derived, frozen_definition
from .loader import Problem, QuestionnaireError
from .resolve import content_hash, effective_lists, resolve
from .schema import CORE_MODULE, Option, Questionnaire, Text, Variant

__all__ = [
    "CORE_MODULE",
    "Catalog",
    "Option",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "Text",
    "Variant",
    "catalog",
    "content_hash",
    "derived",
    "effective_lists",
    "frozen_definition",
    "resolve",
]
