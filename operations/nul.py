"""No NUL character in an address gets past the front door: a request with one in its path or query
string is answered 400 with a Chinese page (JSON under /api/) before any view or database sees it.

PostgreSQL cannot store or even compare text holding NUL (psycopg raises DataError, a 500) and no link
a person follows contains one. Refusing it here, once, covers every view and lookup that reads the
address, including the ones written after this.

Form bodies are left to the forms: every CharField carries Django's ProhibitNullCharactersValidator
(its message is made plain in content/locale), choice fields accept only their choices and id fields
only digits (content.inputs), so a NUL in a form is an error next to its field with everything else
the visitor typed kept, not a bare 400 page; and the body is not read here, so a view can still
refuse an oversized upload before reading it.
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

NUL = "\x00"
MESSAGE = "网址中含有不允许的控制字符（NUL），无法处理。请检查链接是否完整、正确。"
# Paths whose every answer is JSON (search/api.py): their clients get the error in the same shape.
JSON_PREFIXES = ("/api/",)


def carries_nul(request):
    """True when the path or the query string (a parameter's name or value, after decoding) holds NUL."""
    return NUL in request.path or any(NUL in key or NUL in "".join(values) for key, values in request.GET.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            if request.path.startswith(JSON_PREFIXES):
                return JsonResponse({"error": MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(render_to_string("operations/bad_request.html", {"message": MESSAGE}))
        return self.get_response(request)
