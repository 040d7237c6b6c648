"""Where complaint attachments live: a directory outside MEDIA_ROOT, so no web server ever serves it.

The development server publishes the whole of MEDIA_ROOT, and so does a typical production web
server; complainants' photos and documents must not be reachable that way. Handlers download them
one at a time through the admin, which checks their group and logs the download.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class AttachmentStorage(FileSystemStorage):
    """File storage rooted at `settings.COMPLAINTS_ATTACHMENT_ROOT`, read on every use, with no public URL."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return os.fspath(settings.COMPLAINTS_ATTACHMENT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("投诉附件没有公开地址，只能在管理后台下载。")


_storage = AttachmentStorage()


def attachment_storage():
    return _storage
