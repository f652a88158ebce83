"""Free texts: a recent situation, a proposal. Shown only under the k + 2 rule, sorted by their
own content so that nothing tells who wrote them, nor when."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from ..questionnaire.schema import TextItem
from .base import AnswerValue, Entry, FormBuilder, Kind, Row

#: The demo's texts, by item id.
DEMO_TEXTS = {
    "recent_situation": [
        "Une personne âgée ne pouvait pas faire sa démarche en ligne : je l'ai faite avec elle "
        "au guichet, même si la consigne est de renvoyer vers le site.",
        "J'ai reçu quelqu'un sans rendez-vous parce qu'il venait de loin.",
        "J'ai pris le temps d'expliquer un refus en détail au lieu de donner le courrier type.",
        "J'ai appelé moi-même un autre service pour éviter un aller-retour à une famille.",
        "J'ai laissé la file d'attente quelques minutes pour calmer une situation tendue.",
        "J'ai accepté un dossier incomplet en notant les pièces manquantes.",
    ],
    "proposal": [
        "Un créneau sans rendez-vous réservé aux démarches en ligne accompagnées.",
        "Une fiche commune pour expliquer les refus avec des mots simples.",
        "Un point d'équipe de dix minutes après les journées difficiles.",
        "Former deux collègues de plus à l'accompagnement numérique.",
        "Afficher les temps d'attente estimés dans la salle.",
        "Un numéro direct entre services pour les situations urgentes.",
    ],
}


class FreeText(Kind):
    name = "text"
    model = TextItem
    analysis = "text"

    def question(self, item, build: FormBuilder):
        build.fields[item.id] = TextAreaField(
            build.text(item.prompt),
            validators=[
                *build.required(item),
                Length(max=item.max_length, message=_l("At most %(max)d characters.")),
            ],
        )
        return build.question(
            self, item, [Row(None, [Entry(item.id, None, None, item.id, "", "text")])]
        )

    def frame_rows(self, item, definition, label):
        return [{"question": item.id, "item": item.id, "label": label(item.prompt)}]

    def blocks(self, item, ctx):
        return []  # texts are shown apart, under their own rule (see ``texts``)

    def texts(self, item, prompt):
        return [((item.id, ""), prompt)]

    def readable(self, entry, choices, own, language, familiar):
        answer = own.by_key.get((entry.item, entry.facet))
        return answer.text if answer is not None else None

    def demo_answers(self, item, definition, rng, person, progress):
        texts = DEMO_TEXTS.get(item.id)
        if texts:
            yield AnswerValue(item.id, "", text=texts[person % len(texts)])
