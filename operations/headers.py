"""`Permissions-Policy` on every response: the portal uses no camera, microphone, location, payment or
other device feature, so no page (nor anything injected into one) may ask the browser for them.

Reading aloud (speech synthesis) and choosing a photo for a complaint need no permission.
"""

POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "hid",
        "midi",
        "magnetometer",
        "gyroscope",
        "accelerometer",
        "display-capture",
        "browsing-topics",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", POLICY)
        return response
