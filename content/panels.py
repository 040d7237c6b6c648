"""Admin panels of content's own."""

from wagtail.admin.panels import FieldPanel


class QuestionPanel(FieldPanel):
    """A field the form only asks for now and then (a confirmation): shown only while its widget is not
    hidden, so the editor sees no empty heading the rest of the time."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return super().is_shown() and not self.bound_field.is_hidden
