"""Uploaded files (deliverables, project flow diagrams, consultation attachments): what may be stored.

Checked by extension, by size and by the file's first bytes, so a renamed executable or an empty file is refused
with a message that says what is wrong. Every app that takes uploads calls `upload_problems`.
"""

from pathlib import Path

# What the city's PCs produce for these records, with the signatures their first bytes must start with.
ALLOWED_EXTENSIONS = {
    ".pdf": (b"%PDF",),
    ".pptx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".vsdx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
ALLOWED_LABEL = ", ".join(sorted({e.lstrip(".") for e in ALLOWED_EXTENSIONS} - {"jpeg"}))  # for messages and hints
MAX_FILE_MB = 20
UPLOAD_HINT = f"登録できる形式: {ALLOWED_LABEL}（{MAX_FILE_MB}MBまで）"


def upload_problems(file) -> list[str]:
    """Japanese reasons why `file` (an UploadedFile) may not be stored; empty when it is fine."""
    ext = Path(file.name or "").suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        return [f"この形式のファイル（{ext or '拡張子なし'}）は登録できません。{UPLOAD_HINT}"]
    if file.size > MAX_FILE_MB * 1024 * 1024:
        return [f"ファイルが大きすぎます（{file.size / 1024 / 1024:.1f}MB）。{MAX_FILE_MB}MB以下にしてください"]
    if file.size == 0:
        return ["ファイルが空です"]
    pos = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(pos)
    if not any(head.startswith(sig) for sig in ALLOWED_EXTENSIONS[ext]):
        return [f"ファイルの内容が拡張子（{ext}）と一致しません"]
    return []
