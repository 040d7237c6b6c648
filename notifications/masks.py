"""Addresses as admin lists show them: enough to tell two apart, not enough to read one off the screen.
The whole address is shown only on a message's own page (its inspect view)."""


def mask_phone(phone):
    """13812341234 → 138****1234; anything shorter than 8 characters keeps only its last two."""
    phone = str(phone)
    if len(phone) >= 8:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def mask_email(address):
    """zhang.san@example.com → z***@example.com."""
    local, at, domain = str(address).rpartition("@")
    if not at:
        return mask_phone(address)
    return f"{local[:1]}***@{domain}"


def mask_address(channel, address):
    return mask_email(address) if channel == "email" else mask_phone(address)
