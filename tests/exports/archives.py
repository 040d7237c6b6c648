"""ZIP archives broken the ways real uploads are: each function takes a valid archive (bytes) and
returns it damaged. Shared by the admin import tests and the upload fuzzer (tests/fuzz/)."""

import io
import struct
import zipfile

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"


def archive(members, compression=zipfile.ZIP_DEFLATED):
    """A ZIP of {name: bytes}, as an editor's zip tool writes it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return buffer.getvalue()


def _headers(data):
    """(offset of each local header, offset of each central directory entry), first member first."""
    local, central, at = [], [], 0
    while (at := data.find(LOCAL, at)) >= 0:
        local.append(at)
        at += 4
    at = 0
    while (at := data.find(CENTRAL, at)) >= 0:
        central.append(at)
        at += 4
    return local, central


def _data_offset(data, local):
    name_length, extra_length = struct.unpack_from("<HH", data, local + 26)
    return local + 30 + name_length + extra_length


def bad_crc(data):
    """The first member's recorded CRC-32 no longer matches its content."""
    data = bytearray(data)
    local, central = _headers(data)
    for header in (local[0] + 14, central[0] + 16):
        struct.pack_into("<I", data, header, struct.unpack_from("<I", data, header)[0] ^ 0xFFFFFFFF)
    return bytes(data)


def unknown_method(data, method=99):
    """The first member says it is packed with a compression method zipfile does not know."""
    data = bytearray(data)
    local, central = _headers(data)
    struct.pack_into("<H", data, local[0] + 8, method)
    struct.pack_into("<H", data, central[0] + 10, method)
    return bytes(data)


def encrypted(data):
    """The first member marked encrypted (general purpose bit 0), as a zip tool asked for a password writes it."""
    data = bytearray(data)
    local, central = _headers(data)
    for flags in (local[0] + 6, central[0] + 8):
        struct.pack_into("<H", data, flags, struct.unpack_from("<H", data, flags)[0] | 1)
    return bytes(data)


def broken_stream(data):
    """The first member's compressed bytes overwritten: a deflate block of the reserved type 3 (zlib.error),
    or a bzip2/LZMA stream its decompressor refuses."""
    data = bytearray(data)
    local, _central = _headers(data)
    start = _data_offset(data, local[0])
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


def truncated(data, keep=0.6):
    """The upload cut short, as when a connection drops: only the first part of the file arrives."""
    return bytes(data[: int(len(data) * keep)])


def central_directory_cut(data):
    """The end record kept, but pointing before the start of the file (the middle of the archive is missing)."""
    local, central = _headers(data)
    return bytes(data[: local[0] + 40] + data[central[0] :])


DAMAGES = (bad_crc, unknown_method, encrypted, broken_stream, truncated, central_directory_cut)
