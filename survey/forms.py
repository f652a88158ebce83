"""Form pieces shared by several features."""

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a multiple select is hard to use on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
