"""Charts draw every label as text, with marks that stand out, and each has its table."""

import re

from chart_helpers import ESCAPED, HTML_LABELS, figures, seed_html_labels, strings

from survey.extensions import db
from survey.models import Facilitator

#: The only markup a figure may carry: line breaks and hover boxes' empty trace name.
OWN_MARKUP = re.compile(r"<br>|<extra></extra>")


def test_labels_typed_as_html_are_drawn_as_text(app, signed_in, facilitator):
    with app.app_context():
        group_id, (first, second) = seed_html_labels(db.session.get(Facilitator, facilitator.id))
        db.session.commit()
    overview = signed_in.get(f"/sessions/{second}/results").text
    urls = sorted(set(re.findall(rf'href="(/sessions/{second}/results/[a-z_]+)"', overview)))
    urls += [f"/sessions/{second}/present?slide={n}" for n in range(2, 12)]
    urls.append(f"/groups/{group_id}/trends")
    found = []
    for url in urls:
        for figure in figures(signed_in.get(url).text):
            texts = list(strings(figure))
            assert not [t for t in texts if "<" in OWN_MARKUP.sub("", t)], (url, texts)
            found.append(" ".join(texts))
    # Statements, tasks, objectives and criteria, session titles and actions are all there.
    assert len(found) >= 15
    for escaped in ESCAPED:
        assert sum(escaped in figure for figure in found) >= 6, escaped
    assert all(label not in " ".join(found) for label in HTML_LABELS)
