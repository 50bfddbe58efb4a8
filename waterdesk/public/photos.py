"""Citizens' photos: the type read from the file's first bytes, and a size cap while uploading.

The name and the Content-Type a browser sends are not trusted: a file is a photo only if its
first bytes are those of a JPEG, PNG or WebP image.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

PHOTO_FIELD = "photo"

# (content type, file extension, test on the first 12 bytes)
IMAGE_SIGNATURES = (
    ("image/jpeg", "jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/png", "png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/webp", "webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
)


def detect_image_type(uploaded_file) -> tuple[str, str] | None:
    """Return (content type, extension) of a JPEG, PNG or WebP file, or None for anything else."""
    uploaded_file.seek(0)
    head = uploaded_file.read(12)
    uploaded_file.seek(0)
    for content_type, extension, matches in IMAGE_SIGNATURES:
        if matches(head):
            return content_type, extension
    return None


class PhotoSizeLimitHandler(FileUploadHandler):
    """Stop reading a photo once it passes the size limit, and mark the request as oversized.

    The rest of the form is still parsed, so the page can show the other fields back with the
    error, and the part of the photo read so far is discarded.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.PUBLIC_PHOTO_MAX_BYTES
        self.received = 0
        request.photo_too_large = False

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        if field_name != PHOTO_FIELD:
            # Only the photo field takes files; any other file field is skipped unread.
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.photo_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
