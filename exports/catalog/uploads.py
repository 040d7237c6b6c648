"""An uploaded catalog on disk: a JSON file alone, or a ZIP of the JSON with its photos/ and forms/ folders
(as export writes them). Photos and forms pass the same limits: every member stays inside the folder, the
number of members and their unpacked size are bounded; validation then checks each file the JSON names."""

import lzma
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from .validation import CatalogError

MAX_MEMBERS = 5000
CHUNK = 1024 * 1024
# What zipfile and its decompressors raise on an archive that is damaged or cut short: a bad CRC or
# header (BadZipFile), a broken deflate, bzip2 or LZMA stream (zlib.error, OSError, LZMAError), a
# central directory pointing outside the file (ValueError, EOFError, struct.error). Reading only: a
# failure to write the unpacked files is the server's, not the editor's, and is not caught.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError, struct.error)


def unpack(upload, folder):
    """Write the upload into `folder` and return the path of the catalog JSON to import.

    A ZIP is unpacked only if every member stays inside `folder`, the members are few enough, their
    unpacked size is bounded (a small archive cannot expand into a huge one), and exactly one JSON file
    sits at its top level or in the single folder at its top, where zipping an export folder puts it.
    An archive that cannot be read (damaged or cut short, a bad CRC, encrypted, a compression method
    Python does not know) is a CatalogError that tells the editor which and what to do.
    """
    folder = Path(folder)
    name = Path(upload.name).name
    if name.lower().endswith(".json"):
        target = folder / "catalog.json"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return target
    try:
        archive = zipfile.ZipFile(upload)
    except (*DAMAGED, zipfile.LargeZipFile, NotImplementedError):
        raise CatalogError([f"{name}: 不是有效的 ZIP 文件，或文件已损坏、没有上传完整；请重新压缩后上传"]) from None
    with archive:
        return _extract(archive, folder, name, max_bytes=upload.size * 20 + 50 * 1024 * 1024)


def _extract(archive, folder, name, max_bytes):
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise CatalogError([f"{name}: 压缩包内文件超过 {MAX_MEMBERS} 个"])
    if sum(m.file_size for m in members) > max_bytes:
        raise CatalogError([f"{name}: 解压后超过 {max_bytes // 1024 // 1024} MB"])
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
            raise CatalogError([f"{name}: 压缩包内的路径 {member.filename!r} 不安全"])
    catalogs = [
        m for m in members if m.filename.lower().endswith(".json") and len(PurePosixPath(m.filename).parts) <= 2
    ]
    top = min((len(PurePosixPath(m.filename).parts) for m in catalogs), default=0)
    catalogs = [m for m in catalogs if len(PurePosixPath(m.filename).parts) == top]
    if len(catalogs) != 1:
        raise CatalogError([f"{name}: 压缩包里应当只有一个目录 JSON 文件，实际找到 {len(catalogs)} 个"])
    locked = [m.filename for m in members if m.flag_bits & 0x1]
    if locked:
        raise CatalogError([f"{name}: 压缩包设了密码（{'、'.join(locked[:3])}），无法读取；请不加密重新压缩后上传"])
    for member in members:
        _copy_out(archive, member, folder / member.filename, name)
    return folder / catalogs[0].filename


def _copy_out(archive, member, target, name):
    """Unpack one member; an archive that cannot be read is a CatalogError saying why, a disk that cannot be written is not."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        raise CatalogError([f"{name}: 压缩包里的 {member.filename} 与同名的文件或文件夹冲突"]) from None
    with out:
        for chunk in _chunks(archive, member, name):
            out.write(chunk)


def _chunks(archive, member, name):
    try:
        with archive.open(member) as source:
            while chunk := source.read(CHUNK):
                yield chunk
    except NotImplementedError:  # zipfile's word for an unknown compression method; a RuntimeError, so caught first
        raise CatalogError(
            [f"{name}: 压缩包里的 {member.filename} 用了不支持的压缩方式；请用常见的 ZIP（Deflate）方式重新压缩后上传"]
        ) from None
    except RuntimeError:  # zipfile's word for an encrypted member the flag did not announce
        raise CatalogError(
            [f"{name}: 压缩包里的 {member.filename} 设了密码，无法读取；请不加密重新压缩后上传"]
        ) from None
    except DAMAGED:
        raise CatalogError(
            [f"{name}: 压缩包已损坏，{member.filename} 无法解压（文件可能没有上传完整）；请重新压缩后上传"]
        ) from None
