"""An uploaded catalog on disk: a JSON file alone, or a ZIP of the JSON with its photos/ folder (as export writes them)."""

import zipfile
from pathlib import Path, PurePosixPath

from .validation import CatalogError

MAX_MEMBERS = 5000


def unpack(upload, folder):
    """Write the upload into `folder` and return the path of the catalog JSON to import.

    A ZIP is unpacked only if every member stays inside `folder`, the members are few enough, their
    unpacked size is bounded (a small archive cannot expand into a huge one), and exactly one JSON file
    sits at its top level or in the single folder at its top, where zipping an export folder puts it.
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
    except zipfile.BadZipFile:
        raise CatalogError([f"{name}: 不是有效的 ZIP 文件"]) from None
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
    catalogs = [m for m in members if m.filename.lower().endswith(".json") and len(PurePosixPath(m.filename).parts) <= 2]
    top = min((len(PurePosixPath(m.filename).parts) for m in catalogs), default=0)
    catalogs = [m for m in catalogs if len(PurePosixPath(m.filename).parts) == top]
    if len(catalogs) != 1:
        raise CatalogError([f"{name}: 压缩包里应当只有一个目录 JSON 文件，实际找到 {len(catalogs)} 个"])
    archive.extractall(folder, members)
    return folder / catalogs[0].filename
