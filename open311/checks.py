"""Start-up check of what each kind declares for the API (`Kind.extra["open311"]`, see open311.services).

A mistake there would otherwise surface as a 500 on the first request for that kind. The declared fields
must be the form's class-level fields: the check (like `manage.py migrate`) runs without a database,
so it cannot build a form.
"""

from django.core.checks import Error, register

from cases import kinds

from .services import CONTACT_FIELDS, OPEN311, declaration


@register()
def kind_declarations(app_configs, **kwargs):
    problems = []
    for kind in kinds.all_kinds():
        if OPEN311 not in kind.extra:
            continue
        try:
            declared = declaration(kind)
            fields = declared.form().base_fields
        except Exception as exc:  # any mistake in the declaration is reported, not raised
            problems.append(Error(f"{kind.key}: extra['open311'] cannot be read: {exc!r}", id="open311.E001"))
            continue
        named = [declared.text, *declared.attributes, *CONTACT_FIELDS]
        if declared.category is not None:
            named.append(declared.category)
        missing = [name for name in named if name not in fields]
        if missing:
            problems.append(
                Error(
                    f"{kind.key}: extra['open311'] names fields its form does not have: {', '.join(missing)}",
                    hint="Name class-level fields of the form returned by extra['open311']['form'].",
                    id="open311.E002",
                )
            )
        if not callable(declared.submit):
            problems.append(Error(f"{kind.key}: extra['open311']['submit'] is not callable", id="open311.E003"))
    return problems
