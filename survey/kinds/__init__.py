"""Question kinds: one module per kind owns its form fields, its answers, its results, its
line in the journal and its demo answers."""
