"""Views that show part of a page (its PDF, checklist or staff board) answer exactly as the page would.

Wagtail checks a page's view restrictions (password, login, groups) in an `on_serve_page` hook that
wraps the page's own `serve`. `serve_like_page` wraps the view's rendering in the same hooks, so a
visitor gets the same password form or login redirect as on the page, a visitor who may read the page
gets the view, and a restricted answer is never cached by a shared cache or proxy.
"""

from wagtail import hooks


def serve_like_page(page, request, render):
    """`render()` answered through every `on_serve_page` hook, as Wagtail serves `page` itself."""

    def callback(page, request, serve_args, serve_kwargs):
        return render()

    chain = callback
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        chain = hook(chain)
    return chain(page, request, (), {})
